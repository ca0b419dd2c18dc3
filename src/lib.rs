//! folio turns a folder of Hugo-style Markdown pages into a PDF press kit, an
//! EPUB 3 booklet and plain text for translators, from one document model.
//!
//! The pipeline runs one way: [`source`] reads pages, [`parse`] turns bodies
//! into the [`model`], [`passes`] resolve links and assets, and each
//! [`backend`] turns the finished [`Book`] into bytes.

pub mod backend;
pub mod config;
pub mod contrast;
pub mod data;
pub mod date;
pub mod diag;
pub mod hugo;
pub mod i18n;
pub mod image;
pub mod limits;
pub mod model;
pub(crate) mod par;
pub mod parse;
pub mod passes;
pub mod precheck;
pub mod shipped;
pub mod source;
pub(crate) mod structured;
pub mod yaml_spans;

pub use config::{Config, Format, Paper};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use limits::Limits;
pub use model::{Block, BlockKind, Book, BookMeta, Inline, Page};
pub mod build;
pub mod load;
pub mod output;
pub mod project;

pub use build::{BuildOptions, Written, build};
pub use load::{LoadOptions, Loaded, load_book, source_date_epoch};
pub use project::Project;

// The corpus lookup and skip-or-fail policy of the integration tests, for
// the unit tests that read the corpus (one policy for every test).
#[cfg(test)]
#[path = "../tests/common/external.rs"]
mod test_external;
