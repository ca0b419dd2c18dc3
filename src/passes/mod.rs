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
    run_book_wide(book, content_dir, static_dir, limits, diags);
}

/// The passes [`run`] runs after links and URLs: structure and assets,
/// which read the whole book at once (section numbering and lists, each
/// image file inspected and warned about once), so `folio watch` runs
/// them in full after taking the others' results from its memo.
pub fn run_book_wide(
    book: &mut Book,
    content_dir: &Path,
    static_dir: &Path,
    limits: &Limits,
    diags: &mut Diagnostics,
) {
    structure::build(book, content_dir, limits, diags);
    assets::resolve(book, static_dir, limits, diags);
}
