//! Page discovery under a content root, Hugo's URLs and Hugo's ordering.
//!
//! # URLs
//!
//! [`page_url`] follows Hugo's defaults, with two simplifications:
//!
//! - Languages: a file stem ending in a two-letter suffix (`gsoc-2023.en.md`,
//!   `_index.fr.md`) is a translation. English is the default language and
//!   gets no prefix (`/community/gsoc-2023/`); any other language is put in
//!   front (`/fr/community/gsoc-2023/`). An explicit `url` is taken as the
//!   whole path, without a language prefix.
//! - Case: URLs are lower-cased, as Hugo does by default (its
//!   `disablePathToLower` is off), and we apply it to explicit `url`s too so
//!   that one rule holds for every page.

use super::SourcePage;
use super::frontmatter::{FrontMatter, parse_front_matter, split_front_matter};
use crate::diag::Diagnostic;
use std::cmp::Ordering;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The language whose pages get no URL prefix.
const DEFAULT_LANGUAGE: &str = "en";

/// Every Markdown page under `content_dir` (`.md`, `.markdown`), sorted by
/// path so discovery is deterministic.
///
/// Hidden files and directories (name starting with `.`) are skipped.
/// Symbolic links to files are followed; links to directories are not, so a
/// link cycle cannot make discovery loop.
pub fn discover_pages(content_dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if !content_dir.is_dir() {
        let message = if content_dir.exists() {
            format!(
                "content directory `{}` is not a directory",
                content_dir.display()
            )
        } else {
            format!(
                "content directory `{}` does not exist",
                content_dir.display()
            )
        };
        return Err(Diagnostic::error(content_dir, 0, message));
    }
    let mut pages = Vec::new();
    collect_pages(content_dir, &mut pages)?;
    pages.sort();
    Ok(pages)
}

fn collect_pages(dir: &Path, pages: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let read_error = |err: std::io::Error| {
        Diagnostic::error(dir, 0, format!("cannot read directory `{}`", dir.display()))
            .with_cause(err)
    };
    for entry in fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type().map_err(read_error)?;
        if file_type.is_dir() {
            collect_pages(&path, pages)?;
        } else if (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
            && is_markdown(&path)
        {
            pages.push(path);
        }
    }
    Ok(())
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

/// Reads one page (UTF-8 checked, front matter split and parsed, URL made).
///
/// `path` must lie under `content_dir`; it is kept as given for diagnostics.
pub fn load_page(content_dir: &Path, path: &Path) -> Result<SourcePage, Diagnostic> {
    let rel = path
        .strip_prefix(content_dir)
        .map_err(|_| {
            Diagnostic::error(
                path,
                0,
                format!(
                    "page is not inside the content directory `{}`",
                    content_dir.display()
                ),
            )
        })?
        .to_path_buf();
    let bytes = fs::read(path)
        .map_err(|err| Diagnostic::error(path, 0, "cannot read page").with_cause(err))?;
    let text = decode_utf8(bytes, path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Only CRLF pairs: Markdown treats a lone CR as a line ending too, but
    // no editor writes them any more and the parser copes either way.
    let text = text.replace("\r\n", "\n");

    let split = split_front_matter(&text, path)?;
    let front = parse_front_matter(&split, path)?;
    let url = page_url(&rel, &front);
    Ok(SourcePage {
        path: path.to_path_buf(),
        rel,
        body: split.body.to_string(),
        body_line: split.body_line,
        front,
        url,
    })
}

/// The file's text, or an error at the line and column of the first byte
/// that is not UTF-8.
fn decode_utf8(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let bytes = err.as_bytes();
        let valid = err.utf8_error().valid_up_to();
        let before = bytes.get(..valid).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters; the valid prefix decodes cleanly.
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        let cause = bytes.get(valid).map_or_else(
            || "the file ends inside a character".to_string(),
            |b| format!("invalid byte 0x{b:02x}"),
        );
        Diagnostic::error(
            path,
            u32::try_from(line).unwrap_or(u32::MAX),
            "file is not valid UTF-8",
        )
        .with_column(u32::try_from(column).unwrap_or(u32::MAX))
        .with_cause(cause)
        .with_hint("save the file as UTF-8")
    })
}

/// The URL Hugo gives a page at `rel` (relative to the content root).
///
/// An explicit `url` wins (`about/press-kit` becomes `/about/press-kit/`;
/// one ending in a file extension such as `.html` keeps no trailing slash).
/// Otherwise the URL is the section directories plus the slug or file stem;
/// `_index.md` is its section's URL (the root one `/`), and a leaf bundle's
/// `index.md` is its directory's URL, the slug replacing the directory name.
/// See the module docs for languages and case.
pub fn page_url(rel: &Path, front: &FrontMatter) -> String {
    if let Some(url) = front.url.as_deref().filter(|url| !url.trim().is_empty()) {
        let segments: Vec<&str> = url.trim().split('/').filter(|s| !s.is_empty()).collect();
        return join_url(&segments, ends_in_extension(&segments));
    }

    let mut segments: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|component| match component {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, language) = split_language(&stem);
    let slug = front
        .slug
        .as_deref()
        .map(|slug| slug.trim().trim_matches('/'))
        .filter(|slug| !slug.is_empty());

    match stem {
        "_index" => {}
        "index" => {
            // A leaf bundle: the page is its directory, which a slug renames.
            if let (Some(slug), Some(last)) = (slug, segments.last_mut()) {
                *last = slug.to_string();
            }
        }
        _ => segments.push(slug.unwrap_or(stem).to_string()),
    }
    if let Some(language) = language.filter(|lang| *lang != DEFAULT_LANGUAGE) {
        segments.insert(0, language.to_string());
    }
    let segments: Vec<String> = segments.iter().map(|s| urlize(s)).collect();
    let segments: Vec<&str> = segments
        .iter()
        .map(String::as_str)
        .flat_map(|s| s.split('/'))
        .filter(|s| !s.is_empty())
        .collect();
    join_url(&segments, false)
}

/// `stem` without a two-letter language suffix, and the language.
fn split_language(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, lang))
            if !base.is_empty()
                && lang.len() == 2
                && lang.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            (base, Some(lang))
        }
        _ => (stem, None),
    }
}

/// A path segment as Hugo writes it into a URL: spaces become dashes.
fn urlize(segment: &str) -> String {
    segment.trim().replace(' ', "-")
}

/// Whether the last segment names a file (`roadmap.html`), not a directory.
fn ends_in_extension(segments: &[&str]) -> bool {
    segments
        .last()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(name, ext)| {
            !name.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// `/a/b/` (or `/a/b.html` for a file), lower-cased.
fn join_url(segments: &[&str], is_file: bool) -> String {
    let mut url = String::from("/");
    url.push_str(&segments.join("/"));
    if !is_file && !segments.is_empty() {
        url.push('/');
    }
    url.to_lowercase()
}

/// Sorts pages as Hugo sorts a section by default: weight (weighted pages
/// first, ascending), then date (newest first), then title, then path.
///
/// Weight 0 means unset and sorts after every weighted page. Pages without
/// a date, or with one that is not `YYYY-MM-DD[( |T)HH:MM[:SS]]...`, come
/// after dated pages. Titles compare case-insensitively; the path decides
/// ties so the order never depends on the input order.
pub fn hugo_order(pages: &mut [SourcePage]) {
    pages.sort_by(|a, b| {
        weight_key(a.front.weight)
            .cmp(&weight_key(b.front.weight))
            .then_with(|| newest_first(date_key(a), date_key(b)))
            .then_with(|| title_key(a).cmp(&title_key(b)))
            .then_with(|| a.rel.cmp(&b.rel))
            .then_with(|| a.path.cmp(&b.path))
    });
}

fn weight_key(weight: i64) -> (bool, i64) {
    (weight == 0, weight)
}

fn newest_first(a: Option<[u32; 6]>, b: Option<[u32; 6]>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn title_key(page: &SourcePage) -> String {
    page.front
        .title
        .as_deref()
        .unwrap_or_default()
        .to_lowercase()
}

fn date_key(page: &SourcePage) -> Option<[u32; 6]> {
    page.front.date.as_deref().and_then(parse_date)
}

/// `YYYY-MM-DD`, optionally followed by ` HH:MM` or `THH:MM:SS`; anything
/// after (fractions, time zone) is ignored, which is close enough for
/// ordering pages.
fn parse_date(text: &str) -> Option<[u32; 6]> {
    let text = text.trim();
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let separator =
        |at: usize, allowed: &[u8]| text.as_bytes().get(at).is_some_and(|b| allowed.contains(b));

    if !(separator(4, b"-") && separator(7, b"-")) {
        return None;
    }
    let mut key = [field(0..4)?, field(5..7)?, field(8..10)?, 0, 0, 0];
    if separator(10, b" T") && separator(13, b":") {
        key[3] = field(11..13)?;
        key[4] = field(14..16)?;
        if separator(16, b":") {
            key[5] = field(17..19)?;
        }
    }
    Some(key)
}
