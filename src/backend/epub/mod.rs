//! The EPUB 3 backend over epub-builder (issue 4).

use super::Resources;
use crate::diag::Diagnostics;
use crate::model::Book;

/// EPUB options.
#[derive(Debug, Clone)]
pub struct EpubOptions {
    pub resources: Resources,
}

/// Renders `book` as an EPUB 3 file's bytes.
pub fn render(
    book: &Book,
    options: &EpubOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<u8>> {
    let _ = (book, options, diags);
    anyhow::bail!("the EPUB backend is not built yet")
}
