//! Backends: each turns a `&Book` plus its options into bytes. The driver
//! (`crate::build`) writes the files, atomically.

pub mod epub;
pub mod pdf;
pub mod text;

use std::path::PathBuf;

/// Where a backend finds the project's shipped resources, and what it may
/// read and decode.
#[derive(Debug, Clone)]
pub struct Resources {
    /// `fonts/`: OFL fonts with their licence files.
    pub fonts_dir: PathBuf,
    /// `templates/`: the PDF style file, `epub/` templates and CSS.
    pub templates_dir: PathBuf,
    /// The static root: the only folder images (and what SVG images refer
    /// to) may be read from.
    pub static_dir: PathBuf,
    /// Bounds on image sizes and SVG nesting.
    pub limits: crate::limits::Limits,
}
