//! Passes over the parsed model, run in order by [`run`]: links need every
//! page's URL and anchors first, so they run after all pages are parsed.

pub mod assets;
pub mod links;
pub mod structure;
pub mod urls;

use crate::diag::Diagnostics;
use crate::limits::Limits;
use crate::model::Book;
use std::path::Path;

/// Runs every pass over `book`: links, then external URLs made valid
/// (remote images made links), structure (sections, bylines), then assets
/// (checked against `limits`). `content_dir` is the content root,
/// `static_dir` the static root.
pub fn run(
    book: &mut Book,
    content_dir: &Path,
    static_dir: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) {
    links::resolve(book, content_dir, diags);
    urls::run(book, diags);
    structure::build(book, content_dir, limits, diags);
    assets::resolve(book, static_dir, limits, diags);
}
