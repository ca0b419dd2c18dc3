//! The PDF backend: folio's own layout over printpdf (issue 3).

use super::Resources;
use crate::config::Paper;
use crate::diag::Diagnostics;
use crate::model::Book;

/// PDF options; `paper` overrides the style file's page size.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub resources: Resources,
    pub paper: Option<Paper>,
}

/// Lays out `book` and returns the PDF file's bytes. Problems that do not
/// stop the build (a missing glyph, a missing image) go to `diags`.
pub fn render(
    book: &Book,
    options: &PdfOptions,
    diags: &mut Diagnostics,
) -> anyhow::Result<Vec<u8>> {
    let _ = (book, options, diags);
    anyhow::bail!("the PDF backend is not built yet")
}
