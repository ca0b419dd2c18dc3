//! Front matter: split first (YAML `---`, TOML `+++`, Pelican `Key: value`
//! header lines), typed second. Keys are matched case-insensitively, as Hugo
//! does (`Title:` in the seeds).

use crate::diag::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FrontMatterFormat {
    Yaml,
    Toml,
    Pelican,
    None,
}

/// A file split into front matter text and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: FrontMatterFormat,
    /// The front matter text without delimiters.
    pub front: &'a str,
    /// File line on which `front` starts.
    pub front_line: u32,
    pub body: &'a str,
    /// File line on which `body` starts.
    pub body_line: u32,
}

/// The typed front matter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub aliases: Vec<String>,
    /// Every key, lower-cased, with its value (the ones above included).
    pub all: BTreeMap<String, serde_json::Value>,
}

/// Splits `text` into front matter and body. Errors (unterminated front
/// matter) name `path` and the line of the opening delimiter.
pub fn split_front_matter<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let _ = (text, path);
    todo!("source helper")
}

/// Parses the front matter text of `split` into typed fields. Errors name
/// `path` and the file line of the problem.
pub fn parse_front_matter(split: &Split<'_>, path: &Path) -> Result<FrontMatter, Diagnostic> {
    let _ = (split, path);
    todo!("source helper")
}
