//! A Hugo site as its owners keep it: the configuration files Hugo reads
//! ([`config`]), its languages ([`languages`]) and URL patterns
//! ([`permalinks`]), read into one typed [`HugoSite`].
//!
//! What folio takes from the configuration: `baseURL`, `title`, `params`
//! (description, subtitle, author, logo, `dateFormat`),
//! `defaultContentLanguage`, `defaultContentLanguageInSubdir`,
//! `languages`, `disableLanguages`, `permalinks`, `contentDir`,
//! `staticDir`, `dataDir`, `enableEmoji` and
//! `markup.goldmark.extensions.typographer`. Everything else (menus,
//! themes, outputs) is read and ignored.
//!
//! Folders the configuration names must lie inside the site folder: a
//! site checked out from elsewhere cannot make folio read other files.

pub mod config;
pub mod languages;
pub mod permalinks;

pub use languages::{Direction, Language};
pub use permalinks::Permalinks;

use crate::diag::Diagnostic;
use crate::limits::Limits;
use config::{RawConfig, kind};
use languages::text;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// A Hugo site's configuration, typed.
#[derive(Debug, Clone)]
pub struct HugoSite {
    /// The site folder, as given.
    pub root: PathBuf,
    /// The configuration files read, in merge order (none: a site without
    /// configuration, read with Hugo's defaults).
    pub files: Vec<PathBuf>,
    /// `baseURL`, when set.
    pub base_url: Option<String>,
    /// `title`, when set.
    pub title: Option<String>,
    /// `params`, keys lower-cased as Hugo keeps them (`Null` when unset).
    pub params: Value,
    /// `defaultContentLanguage` (default `en`), lower-cased.
    pub default_language: String,
    /// `defaultContentLanguageInSubdir`: the default language's URLs get
    /// its prefix too.
    pub default_in_subdir: bool,
    /// The enabled languages, in Hugo's order (weight, then code).
    pub languages: Vec<Language>,
    /// Codes of the languages the site turned off (`disableLanguages`,
    /// `disabled: true`): their pages are in no book.
    pub disabled: Vec<String>,
    /// Whether the configuration has a `languages` table: without one,
    /// any two-letter file suffix (`page.fr.md`) is taken for a language.
    pub languages_configured: bool,
    pub permalinks: Permalinks,
    /// `contentDir` (default `content`), under [`Self::root`].
    pub content_dir: PathBuf,
    /// `staticDir` (default `static`; Hugo allows a list), under the root.
    pub static_dirs: Vec<PathBuf>,
    /// `dataDir` (default `data`), under the root.
    pub data_dir: PathBuf,
    /// `enableEmoji` (default off).
    pub enable_emoji: bool,
    /// The typographer of Goldmark (default on).
    pub typographer: bool,
    /// The merged configuration, for messages about its values.
    raw: RawConfig,
}

impl HugoSite {
    /// Reads the site in folder `root`: its configuration when it has one,
    /// Hugo's defaults otherwise. Errors name the file and line.
    pub fn open(root: &Path, limits: &Limits) -> Result<HugoSite, Diagnostic> {
        if !root.is_dir() {
            let message = if root.exists() {
                "the site is a file, not a folder"
            } else {
                "the site folder does not exist"
            };
            return Err(Diagnostic::error(root, 0, message)
                .with_hint("--site takes the folder that holds the Hugo site (content/, config)"));
        }
        let raw = RawConfig::read(root, limits)?;
        let (languages, default_language, disabled) = languages::read(&raw, limits.languages)?;
        let real_root = root
            .canonicalize()
            .map_err(|e| Diagnostic::error(root, 0, "cannot open the site folder").with_cause(e))?;
        let folder = |keys: &[&str], default: &str| -> Result<PathBuf, Diagnostic> {
            let rel = text(&raw, keys)?.unwrap_or_else(|| default.to_string());
            inside(&raw, keys, root, &real_root, &rel)
        };
        let content_dir = folder(&["contentdir"], "content")?;
        let data_dir = folder(&["datadir"], "data")?;
        let static_dirs = match raw.get(&["staticdir"]) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => inside(&raw, &["staticdir"], root, &real_root, s),
                    other => Err(raw.error_at(
                        &["staticdir"],
                        format!("`staticDir` must list folders, found {}", kind(other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => vec![folder(&["staticdir"], "static")?],
        };
        let mut languages = languages;
        for language in &mut languages {
            if let Some(dir) = language.content_dir.take() {
                let keys = ["languages", language.code.as_str(), "contentdir"];
                let rel = dir.to_string_lossy().into_owned();
                language.content_dir = Some(inside(&raw, &keys, root, &real_root, &rel)?);
            }
        }
        let files = raw.files.clone();
        Ok(HugoSite {
            root: root.to_path_buf(),
            files,
            base_url: text(&raw, &["baseurl"])?,
            title: text(&raw, &["title"])?,
            params: object(&raw, &["params"])?,
            default_language,
            disabled,
            default_in_subdir: flag(&raw, &["defaultcontentlanguageinsubdir"], false)?,
            languages_configured: raw
                .get(&["languages"])
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty()),
            languages,
            permalinks: permalinks::read(&raw, &["permalinks"])?.unwrap_or_default(),
            content_dir,
            static_dirs,
            data_dir,
            enable_emoji: flag(&raw, &["enableemoji"], false)?,
            typographer: typographer(&raw)?,
            raw,
        })
    }

    /// A warning about the configuration value at `keys` (lower-case), at
    /// the file and line that set it.
    pub fn warning_at(&self, keys: &[&str], message: impl Into<String>) -> Diagnostic {
        let mut diag = self.raw.error_at(keys, message);
        diag.severity = crate::diag::Severity::Warning;
        if diag.path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
            diag.path = Some(self.root.clone());
        }
        diag
    }

    /// The language with `code` (any case), if the site has it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(code))
    }

    /// The default language.
    pub fn default(&self) -> Option<&Language> {
        self.language(&self.default_language)
    }

    /// The content folder of language `code`: its own `contentDir`, else
    /// the site's.
    pub fn content_dir_of(&self, code: &str) -> &Path {
        self.language(code)
            .and_then(|l| l.content_dir.as_deref())
            .unwrap_or(&self.content_dir)
    }

    /// The site's params with language `code`'s over them, as Hugo merges
    /// them for that language's pages.
    pub fn params_for(&self, code: &str) -> Value {
        let mut params = self.params.clone();
        if let Some(own) = self.language(code).map(|l| &l.params) {
            merge(&mut params, own);
        }
        params
    }

    /// The permalink patterns of language `code`: its own, else the site's.
    pub fn permalinks_for(&self, code: &str) -> &Permalinks {
        self.language(code)
            .and_then(|l| l.permalinks.as_ref())
            .unwrap_or(&self.permalinks)
    }

    /// The base URL of language `code`: its own, else the site's.
    pub fn base_url_for(&self, code: &str) -> Option<&str> {
        self.language(code)
            .and_then(|l| l.base_url.as_deref())
            .or(self.base_url.as_deref())
    }

    /// The first static folder that exists (Hugo merges them; folio reads
    /// images from one root), else the first named.
    pub fn static_dir(&self) -> PathBuf {
        self.static_dirs
            .iter()
            .find(|d| d.is_dir())
            .or(self.static_dirs.first())
            .cloned()
            .unwrap_or_else(|| self.root.join("static"))
    }
}

/// Deep-merges `over` into `base`: mappings key by key, anything else
/// replaced.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        // A language's `params: ~` leaves the site's as they are.
        (_, Value::Null) => {}
        (base, over) => *base = over.clone(),
    }
}

/// `rel` (from the configuration at `keys`) under the site folder; a path
/// that leaves it (absolute, through `..` or a symbolic link) is an error
/// at its line.
fn inside(
    raw: &RawConfig,
    keys: &[&str],
    root: &Path,
    real_root: &Path,
    rel: &str,
) -> Result<PathBuf, Diagnostic> {
    let refuse = || {
        raw.error_at(
            keys,
            format!("`{rel}` is not a folder inside the site folder"),
        )
        .with_hint("folio reads a site only from inside its folder")
    };
    let path = Path::new(rel.trim());
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth > 0 => depth -= 1,
            _ => return Err(refuse()),
        }
    }
    let joined = root.join(path);
    if let Ok(real) = joined.canonicalize()
        && !real.starts_with(real_root)
    {
        return Err(refuse());
    }
    Ok(joined)
}

/// A mapping setting (`params`), `Null` when unset.
fn object(raw: &RawConfig, keys: &[&str]) -> Result<Value, Diagnostic> {
    match raw.get(keys) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(other) => Err(raw.error_at(
            keys,
            format!("`params` must be a mapping, found {}", kind(other)),
        )),
    }
}

/// A true/false setting.
fn flag(raw: &RawConfig, keys: &[&str], default: bool) -> Result<bool, Diagnostic> {
    match raw.get(keys) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(raw.error_at(
            keys,
            format!(
                "`{}` must be true or false, found {}",
                keys.last().copied().unwrap_or_default(),
                kind(other)
            ),
        )),
    }
}

/// Goldmark's typographer: `typographer = false` (older Hugo), or
/// `[typographer] disable = true` (newer).
fn typographer(raw: &RawConfig) -> Result<bool, Diagnostic> {
    let keys = ["markup", "goldmark", "extensions", "typographer"];
    match raw.get(&keys) {
        Some(Value::Object(map)) => match map.get("disable") {
            None | Some(Value::Null) => Ok(true),
            Some(Value::Bool(disable)) => Ok(!disable),
            Some(other) => Err(raw.error_at(
                &[&keys[..], &["disable"]].concat(),
                format!("`disable` must be true or false, found {}", kind(other)),
            )),
        },
        _ => flag(raw, &keys, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<HugoSite, Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let site = HugoSite::open(dir.path(), &Limits::default());
        (dir, site)
    }

    #[test]
    fn defaults_without_configuration() {
        let (dir, site) = open(&[("content/a.md", "x")]);
        let site = site.unwrap();
        assert!(site.files.is_empty());
        assert_eq!(site.default_language, "en");
        assert_eq!(site.languages.len(), 1);
        assert!(!site.languages_configured);
        assert_eq!(site.content_dir, dir.path().join("content"));
        assert!(site.typographer && !site.enable_emoji);
        assert_eq!(site.base_url, None);
    }

    #[test]
    fn languages_in_hugos_order_with_both_key_names() {
        let (_dir, site) = open(&[(
            "hugo.toml",
            "defaultContentLanguage = 'de'\n[languages.de]\nweight = 2\nlanguageName = 'Deutsch'\ntitle = 'Titel'\n[languages.ar]\nweight = 1\nlabel = 'العربية'\ndirection = 'rtl'\nlocale = 'ar-EG'\n[languages.fr]\ncontentDir = 'content/fr'\n[languages.it]\ndisabled = true\n",
        )]);
        let site = site.unwrap();
        let codes: Vec<&str> = site.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["ar", "de", "fr"]);
        assert_eq!(site.default_language, "de");
        let ar = site.language("AR").unwrap();
        assert_eq!(ar.direction, Direction::Rtl);
        assert_eq!(ar.tag(), "ar-EG");
        assert_eq!(site.language("de").unwrap().title.as_deref(), Some("Titel"));
        assert!(site.content_dir_of("fr").ends_with("content/fr"));
    }

    #[test]
    fn bad_values_are_located() {
        let (_dir, site) = open(&[(
            "hugo.yaml",
            "title: x\nlanguages:\n  de:\n    weight: heavy\n",
        )]);
        let err = site.unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("weight"), "{err}");

        let (_dir, site) = open(&[(
            "hugo.toml",
            "defaultContentLanguage = 'xx'\n[languages.en]\n",
        )]);
        assert!(site.unwrap_err().message.contains("`xx` is not among"));

        let (_dir, site) = open(&[("hugo.toml", "[languages.'../x']\n")]);
        assert!(site.unwrap_err().message.contains("not a language code"));

        let (_dir, site) = open(&[("hugo.toml", "contentDir = '../elsewhere'\n")]);
        let err = site.unwrap_err();
        assert_eq!(err.line, 1);
        assert!(
            err.message.contains("not a folder inside the site"),
            "{err}"
        );

        let (_dir, site) = open(&[("hugo.json", "{\"permalinks\": {\n \"blog\": \"/:yr/\"}}")]);
        let err = site.unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn params_and_permalinks_per_language() {
        let (_dir, site) = open(&[(
            "hugo.yaml",
            "params:\n  A: 1\n  Nested: {x: 1, y: 2}\npermalinks:\n  blog: /:year/:title/\nlanguages:\n  en: {}\n  de:\n    params: {nested: {y: 3}}\n    permalinks:\n      page: {blog: /blog/:slug/}\n      section: {blog: /b/}\nmarkup:\n  goldmark:\n    extensions:\n      typographer:\n        disable: true\nenableEmoji: true\n",
        )]);
        let site = site.unwrap();
        assert_eq!(site.params_for("de")["nested"]["y"], 3);
        assert_eq!(site.params_for("de")["nested"]["x"], 1);
        assert_eq!(site.params_for("en")["a"], 1);
        assert!(site.permalinks_for("en").for_page("blog", false).is_some());
        assert!(site.permalinks_for("de").for_page("blog", true).is_some());
        assert!(!site.typographer);
        assert!(site.enable_emoji);
    }
}
