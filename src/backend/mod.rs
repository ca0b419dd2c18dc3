//! Backends: each turns a `&Book` plus its options into bytes. The driver
//! (`crate::build`) writes the files, atomically.

pub mod epub;
pub mod pdf;
pub mod text;

use std::path::PathBuf;

/// Where a backend finds the project's shipped resources.
#[derive(Debug, Clone)]
pub struct Resources {
    /// `fonts/`: OFL fonts with their licence files.
    pub fonts_dir: PathBuf,
    /// `templates/`: the PDF style file, `epub/` templates and CSS.
    pub templates_dir: PathBuf,
}
