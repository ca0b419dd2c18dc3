//! Markdown (pulldown-cmark, options set in one place) to model blocks, raw
//! HTML mapped into the model, shortcodes turned into typed nodes.

use crate::config::ShortcodeAction;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Footnote};
use std::collections::BTreeMap;
use std::path::Path;

/// How to treat shortcodes other than `figure`.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub shortcodes: BTreeMap<String, ShortcodeAction>,
}

/// A parsed page body.
#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Footnote>,
}

/// Parses `body` (which starts on file line `first_line` of `path`).
/// Fatal problems (an unterminated shortcode) are errors; anything else
/// (unknown shortcodes, dropped HTML tags) becomes a warning in `diags`.
/// Links and image assets are left unresolved: the passes do that.
pub fn parse_body(
    body: &str,
    first_line: u32,
    path: &Path,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Result<ParsedBody, Diagnostic> {
    let _ = (body, first_line, path, options, diags);
    todo!("parse helper")
}
