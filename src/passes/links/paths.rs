//! URL and path helpers of the links pass: schemes, fragments, site paths,
//! aliases, language prefixes, percent-decoding, relative joins.

use std::path::{Component, Path, PathBuf};

pub(super) fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

pub(super) fn split_fragment(href: &str) -> (&str, Option<&str>) {
    match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    }
}

/// `/about/faq` → `/about/faq/`; `/x/index.html` → `/x/`; `/a.html` kept.
pub fn normalize_path(path: &str) -> String {
    let mut p = path.trim().to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if let Some(stripped) = p.strip_suffix("index.html") {
        p = stripped.to_string();
    }
    let last = p.rsplit('/').next().unwrap_or("");
    if !p.ends_with('/') && !last.contains('.') {
        p.push('/');
    }
    p.to_lowercase()
}

/// An alias as a site path: kept when it starts with `/`, else relative
/// to the folder of the page's URL (`old` on `/de/docs/new/` is
/// `/de/docs/old`).
pub(super) fn alias_path(page_url: &str, alias: &str) -> String {
    let alias = alias.trim();
    if alias.starts_with('/') || alias.contains("://") {
        return alias.to_string();
    }
    let trimmed = page_url.trim_end_matches('/');
    let folder = match trimmed.rfind('/') {
        Some(i) => trimmed.get(..=i).unwrap_or("/"),
        None => "/",
    };
    join_url(folder, alias)
}

/// `rel` without a language suffix naming `lang` (`faq.de.md` for `de` or
/// `de-DE` is `faq.md`), and whether it had one.
pub(super) fn without_language(rel: &Path, lang: &str) -> (PathBuf, bool) {
    let primary = lang.split('-').next().unwrap_or_default();
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
    let ext = rel.extension().map(|s| s.to_string_lossy().into_owned());
    if let (Some(stem), Some(ext)) = (stem, ext)
        && let Some((base, suffix)) = stem.rsplit_once('.')
        && !base.is_empty()
        && !lang.is_empty()
        && (suffix.eq_ignore_ascii_case(lang) || suffix.eq_ignore_ascii_case(primary))
    {
        return (rel.with_file_name(format!("{base}.{ext}")), true);
    }
    (rel.to_path_buf(), false)
}

/// The language prefix of a page's URL (`/de` for `/de/about/` in `de` or
/// `de-DE`), empty when the URL has none.
pub(super) fn url_prefix(url: &str, lang: &str) -> String {
    let primary = lang.split('-').next().unwrap_or_default();
    [lang, primary]
        .into_iter()
        .filter(|code| !code.is_empty())
        .map(|code| format!("/{code}"))
        .find(|prefix| url.to_lowercase().starts_with(&format!("{prefix}/")))
        .unwrap_or_default()
}

/// `%XX` escapes decoded (a path written either way finds its page);
/// text that would not be UTF-8 once decoded is kept as written.
pub(super) fn percent_decode(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// Joins a relative href onto a page URL the way a browser does.
pub(super) fn join_url(page_url: &str, href: &str) -> String {
    let base_dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "/",
    };
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    let (path, rest) = match href.find(['?', '#']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let trailing = path.ends_with('/') || path.is_empty();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out.push_str(rest);
    out
}

pub(super) fn normalize_fs(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
