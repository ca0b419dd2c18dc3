//! Backends: each turns a `&Book` plus its options into bytes. The driver
//! (`crate::build`) writes the files, atomically.

pub mod epub;
pub mod pdf;
pub mod text;

use std::path::PathBuf;

/// Where a backend finds the project's resources, and what it may read and
/// decode. Fonts and templates come from these folders file by file, else
/// from the copies built into folio ([`crate::shipped`]).
#[derive(Debug, Clone)]
pub struct Resources {
    /// `fonts/`, which may be missing: fonts overriding or added to the
    /// built-in ones.
    pub fonts_dir: PathBuf,
    /// `templates/`, which may be missing: the PDF style file, `epub/`
    /// templates and CSS, overriding the built-in ones one by one.
    pub templates_dir: PathBuf,
    /// The static root: the only folder images (and what SVG images refer
    /// to) may be read from.
    pub static_dir: PathBuf,
    /// Bounds on image sizes and SVG nesting.
    pub limits: crate::limits::Limits,
}

/// Where each page of a book's PDF edition begins in the text, so that the
/// EPUB can name print pages (a page list and page-break markers) the way
/// the PDF numbers them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintPages {
    /// In page order; only pages that show chapter text (the cover and the
    /// contents have no place in the chapters).
    pub starts: Vec<PageStart>,
}

/// The place where print page `number` begins: before top-level block
/// `block` of page `page` (`None`: at the chapter's title). A page that
/// begins inside a block (a long paragraph or table) begins at that block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    pub number: u32,
    /// The model page's id.
    pub page: String,
    pub block: Option<usize>,
}

impl PrintPages {
    /// The page starts by model page id, each page's in order.
    pub fn by_page(&self) -> std::collections::HashMap<&str, Vec<&PageStart>> {
        let mut out: std::collections::HashMap<&str, Vec<&PageStart>> = Default::default();
        for start in &self.starts {
            out.entry(start.page.as_str()).or_default().push(start);
        }
        out
    }
}
