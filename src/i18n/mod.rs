//! Translation catalogs (issue 10): every translatable segment of the
//! books as gettext messages (`po/messages.pot`), each language's
//! translations (`po/<lang>.po`) merged as `msgmerge --previous` does,
//! translations checked before use, and how complete each book is.
//!
//! `extract` says what a message is, `msgid` how its text is written,
//! `po` reads and writes the files, `template` makes the POT, `merge`
//! updates a PO file, `check` vets a translation, `status` counts.

pub mod apply;
pub mod check;
pub mod codes;
pub mod export;
pub mod extract;
pub mod inlines;
pub mod labels;
pub mod markdown;
pub mod merge;
pub mod msgid;
pub mod po;
pub mod status;
pub mod template;
pub mod xliff;

use crate::diag::Diagnostic;
use crate::model::Book;
use extract::Unit;
use po::Catalog;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The folder a project's catalogs are relative to: the config file's
/// folder, else the current folder (a `--site` or `--content` build).
pub fn project_root(project: &crate::Project) -> PathBuf {
    match project.config_path.as_ref().and_then(|p| p.parent()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::new(),
    }
}

/// The catalog folder of a project whose root is `root`.
pub fn po_dir(root: &Path) -> PathBuf {
    root.join("po")
}

/// `po/messages.pot`.
pub fn template_path(root: &Path) -> PathBuf {
    po_dir(root).join("messages.pot")
}

/// `po/<lang>.po`.
pub fn language_path(root: &Path, lang: &str) -> PathBuf {
    po_dir(root).join(format!("{lang}.po"))
}

/// The units of one book: its metadata, then its pages in reading order.
/// `root` is the project root (references are relative to it), `config`
/// the file the book's metadata comes from, `keys` the front-matter keys
/// that are messages (`i18n: front_matter`).
pub fn book_units(book: &Book, root: &Path, config: &Path, keys: &[String]) -> Vec<Unit> {
    let config = config.strip_prefix(root).unwrap_or(config);
    let mut units = extract::book_units(book, config);
    for page in &book.pages {
        units.extend(extract::page_units(page, root, keys));
    }
    units
}

/// The units of every book, a page shared between books taken once (the
/// first time): the template's contents, in order.
pub fn all_units(books: &[&Book], root: &Path, config: &Path, keys: &[String]) -> Vec<Unit> {
    let mut seen = HashSet::new();
    let mut units = Vec::new();
    let config_rel = config.strip_prefix(root).unwrap_or(config);
    for book in books {
        units.extend(extract::book_units(book, config_rel));
        for page in &book.pages {
            if seen.insert(page.source.clone()) {
                units.extend(extract::page_units(page, root, keys));
            }
        }
    }
    units
}

/// Reads a PO or POT file; `Ok(None)` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Catalog>, Diagnostic> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::error(path, 0, "cannot read the catalog").with_cause(e)),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = line_of(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic::error(path, line, "the catalog is not UTF-8")
            .with_hint("folio reads and writes PO files in UTF-8 (`msgconv -t UTF-8`)")
    })?;
    let catalog = po::parse(path, &text)?;
    if let Some(charset) = catalog
        .header_field("Content-Type")
        .and_then(|c| c.split("charset=").nth(1))
        && !charset.trim().eq_ignore_ascii_case("utf-8")
        && !charset.trim().eq_ignore_ascii_case("charset")
    {
        let line = catalog.header.as_ref().map_or(1, |h| h.line);
        return Err(Diagnostic::error(
            path,
            line,
            format!(
                "the catalog says charset={}; folio reads UTF-8 only",
                charset.trim()
            ),
        )
        .with_hint("convert it with `msgconv -t UTF-8`"));
    }
    Ok(Some(catalog))
}

fn line_of(bytes: &[u8], offset: usize) -> u32 {
    let newlines = bytes.iter().take(offset).filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Whether `lang` is a plausible language code for a file name (`de`,
/// `pt-BR`, `sr_Latn`): letters, digits, `-` and `_`, starting with a
/// letter, at most 35 characters (BCP 47's longest practical tags).
pub fn valid_language(lang: &str) -> bool {
    lang.len() <= 35
        && lang.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && lang
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
