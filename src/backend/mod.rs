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
