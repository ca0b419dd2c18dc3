//! Page discovery under a content root, Hugo's URLs and Hugo's ordering.

use super::SourcePage;
use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

/// Every Markdown page under `content_dir` (`.md`, `.markdown`), sorted by
/// path so discovery is deterministic.
pub fn discover_pages(content_dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let _ = content_dir;
    todo!("source helper")
}

/// Reads one page (UTF-8 checked, front matter split and parsed, URL made).
pub fn load_page(content_dir: &Path, path: &Path) -> Result<SourcePage, Diagnostic> {
    let _ = (content_dir, path);
    todo!("source helper")
}

/// The URL Hugo gives a page at `rel` (relative to the content root).
pub fn page_url(rel: &Path, front: &super::FrontMatter) -> String {
    let _ = (rel, front);
    todo!("source helper")
}

/// Sorts pages as Hugo sorts a section by default: weight (weighted pages
/// first, ascending), then date (newest first), then title, then path.
pub fn hugo_order(pages: &mut [SourcePage]) {
    let _ = pages;
    todo!("source helper")
}
