//! What a Hugo site gives a book: which pages are in it, each page's
//! language, the parse settings (typographer, emoji, params) and the
//! metadata `folio.yaml` leaves out (title, base URL, description,
//! subtitle, authors, logo, date format, direction).
//!
//! The site's logo is the first of these `params` keys that is set (keys
//! ignore case): `logo`, `siteLogo`, `siteLogoUrl`, `logoUrl`, `logoPath`,
//! `images` (its first entry). It is a path in the static folder; a URL or
//! a missing file is a warning, not an error: the site's own files are not
//! the user's to fix.

use crate::config::BookConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::hugo::HugoSite;
use crate::model::{Asset, BookMeta};
use crate::parse::ParseOptions;
use crate::project::{BookScope, Project};
use crate::source::SourcePage;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `params` keys that may name the site's logo, in the order tried.
pub const LOGO_KEYS: [&str; 6] = [
    "logo",
    "sitelogo",
    "sitelogourl",
    "logourl",
    "logopath",
    "images",
];

/// The files found under the book's content folder that may be its
/// pages: those of other languages' folders and of languages the site
/// turned off are left out, and, where the file name alone decides the
/// language, those of other languages (so a site of many languages reads
/// each page once, not once per book).
pub(super) fn book_files(scope: &BookScope, paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let by_name = scope.only_language && scope.rules.ignore_front_matter_language;
    paths
        .into_iter()
        .filter(|p| !scope.exclude.iter().any(|e| p.starts_with(e)))
        .filter(|p| {
            let rel = p.strip_prefix(&scope.content_dir).unwrap_or(p);
            if scope.rules.is_disabled(rel) {
                return false;
            }
            match (&scope.language, by_name) {
                (Some(lang), true) => scope.rules.language_of(rel, &Default::default()) == *lang,
                _ => true,
            }
        })
        .collect()
}

/// Whether `page` belongs to a book that takes every page of its language.
pub(super) fn in_book(scope: &BookScope, page: &SourcePage) -> bool {
    match (&scope.language, scope.only_language) {
        (Some(lang), true) => scope.rules.language_of(&page.rel, &page.front) == *lang,
        _ => true,
    }
}

/// A page's BCP 47 language: its translation's (`page.de.md`, `lang:`),
/// as the site spells it (`pt-BR` for `pt-br` when the site says so);
/// empty when neither the site nor the page says (the book's then).
pub(super) fn page_language(project: &Project, scope: &BookScope, page: &SourcePage) -> String {
    let code = scope.rules.language_of(&page.rel, &page.front);
    match &project.site {
        Some(site) => site.language(&code).map_or(code, |l| l.tag().to_string()),
        // Without a site, only a suffix or `lang:` gives a page its own
        // language; the rest take the book's.
        None => {
            let stem = page
                .rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            let suffixed = stem.is_some_and(|s| scope.rules.split_language(&s).1.is_some());
            let said = page.front.all.contains_key("lang");
            if suffixed || said {
                code
            } else {
                String::new()
            }
        }
    }
}

/// `base` with the site's settings for the book's language: smart
/// punctuation, emoji, and the params shortcodes read. `folio.yaml`'s
/// `site:` overrides win.
pub(super) fn parse_options(
    project: &Project,
    scope: &BookScope,
    base: ParseOptions,
) -> ParseOptions {
    let Some(site) = &project.site else {
        return base;
    };
    let lang = scope.language.as_deref().unwrap_or(&site.default_language);
    let overrides = project.config.site.as_ref();
    ParseOptions {
        // folio.yaml's top-level switches, then `site:`'s, then the site's.
        typographer: (project.config.typographer)
            .or(overrides.and_then(|o| o.typographer))
            .unwrap_or(site.typographer),
        emoji: (project.config.emoji)
            .or(overrides.and_then(|o| o.emoji))
            .unwrap_or(site.enable_emoji),
        site_params: Arc::new(site.params_for(lang)),
        ..base
    }
}

/// The site's base URL for the book's language, if the project reads a
/// site that has one.
pub(super) fn base_url(project: &Project, scope: &BookScope) -> Option<String> {
    let site = project.site.as_ref()?;
    let code = scope.language.as_deref().unwrap_or(&site.default_language);
    site.base_url_for(code).map(str::to_string)
}

/// Fills what the book's own configuration left empty from the site, and
/// warns once per build when no base URL is known for a site's books.
pub(super) fn fill_meta(
    project: &Project,
    scope: &BookScope,
    config: &BookConfig,
    meta: &mut BookMeta,
    diags: &mut Diagnostics,
) {
    if let Some(site) = &project.site {
        from_site(site, scope, config, meta);
    }
    let reads_a_site = project.site.is_some() || project.whole_site;
    if meta.base_url.is_empty() && reads_a_site {
        let place = project
            .site
            .as_ref()
            .map_or_else(|| project.content_dir.clone(), |s| s.root.clone());
        diags.push(
            Diagnostic::warning(
                place,
                0,
                "the site's base URL is unknown: links to pages outside the book stay site-relative",
            )
            .with_hint(
                "set `baseURL` in the site's configuration, or `base_url` under `defaults:` in folio.yaml",
            ),
        );
    }
}

/// The site's metadata for the book's language.
fn from_site(site: &HugoSite, scope: &BookScope, config: &BookConfig, meta: &mut BookMeta) {
    let code = scope.language.as_deref().unwrap_or(&site.default_language);
    let language = site.language(code);
    let params = site.params_for(code);
    if config.title.trim().is_empty()
        && let Some(title) = language
            .and_then(|l| l.title.clone())
            .or(site.title.clone())
    {
        meta.title = title;
    }
    if meta.base_url.is_empty()
        && let Some(base) = site.base_url_for(code)
    {
        meta.base_url = base.to_string();
        if !meta.base_url.ends_with('/') {
            meta.base_url.push('/');
        }
    }
    if meta.subtitle.is_none() {
        meta.subtitle = param_text(&params, "subtitle");
    }
    if meta.description.is_none() {
        meta.description = param_text(&params, "description");
    }
    if meta.authors.is_empty() {
        meta.authors = authors(&params);
    }
    if meta.date_format.is_none() {
        meta.date_format = param_text(&params, "dateformat");
    }
    if let Some(language) = language {
        meta.direction = language.direction;
    }
}

/// A text param, trimmed; empty is unset.
fn param_text(params: &Value, key: &str) -> Option<String> {
    params
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `params.author` (or `authors`) as themes write it: a name, a mapping
/// with `name`, or a list of either.
fn authors(params: &Value) -> Vec<String> {
    fn name(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Object(map) => map
                .get("name")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string()),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    }
    let value = params.get("author").or_else(|| params.get("authors"));
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(name).collect(),
        Some(other) => name(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The site's logo from its params, resolved in the static folder; a
/// warning when it names a URL or a file that is not there.
pub(super) fn logo(project: &Project, scope: &BookScope, diags: &mut Diagnostics) -> Option<Asset> {
    let site = project.site.as_ref()?;
    let code = scope.language.as_deref().unwrap_or(&site.default_language);
    let params = site.params_for(code);
    let (key, src) = LOGO_KEYS.iter().find_map(|key| {
        let value = params.get(*key)?;
        let text = match value {
            Value::Array(items) => items.first()?.as_str()?,
            other => other.as_str()?,
        };
        let text = text.trim();
        (!text.is_empty()).then(|| (*key, text.to_string()))
    })?;
    let at: Vec<&str> = match site.language(code).and_then(|l| l.params.get(key)) {
        Some(_) => vec!["languages", code, "params", key],
        None => vec!["params", key],
    };
    let warn = |why: String| {
        site.warning_at(
            &at,
            format!("the site's logo `{src}` {why}: the cover has none"),
        )
        .with_hint("set `logo:` under `defaults:` in folio.yaml to a file in the static folder")
    };
    if src.contains("://") || src.starts_with("//") {
        diags.push(warn("is a URL, and folio reads no network".to_string()));
        return None;
    }
    let root = project.static_dir.canonicalize().ok()?;
    if crate::config::leaves_root(Path::new(src.trim_start_matches('/'))).is_some() {
        diags.push(warn("is not a file inside the static folder".to_string()));
        return None;
    }
    match crate::image::resolve::locate(&src, Some(&root), &root) {
        Ok(asset) => Some(asset),
        Err(why) => {
            diags.push(warn(why.to_string()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_in_every_shape() {
        let p = |json: &str| authors(&serde_json::from_str(json).unwrap());
        assert_eq!(p(r#"{"author": "A"}"#), ["A"]);
        assert_eq!(p(r#"{"author": {"name": "XSF"}}"#), ["XSF"]);
        assert_eq!(p(r#"{"authors": ["A", {"name": "B"}, 3]}"#), ["A", "B"]);
        assert!(p(r#"{"author": ""}"#).is_empty());
        assert!(p("null").is_empty());
    }
}
