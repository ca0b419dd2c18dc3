//! Reading pages from disk: front matter (YAML, TOML, Pelican headers),
//! page discovery, languages and URLs, and Hugo's ordering.

pub mod discover;
pub mod frontmatter;
pub(crate) mod order;
pub mod url;

pub use discover::{discover_pages, hugo_order, load_page, page_from_bytes};
pub use frontmatter::{
    FrontMatter, FrontMatterFormat, Split, parse_front_matter, split_front_matter,
};
pub(crate) use order::site_order;
pub use url::{SiteRules, is_section_index, page_url};

use std::path::PathBuf;

/// A page read from disk, front matter parsed, body not yet parsed.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path as shown in diagnostics (the content root joined with `rel`).
    pub path: PathBuf,
    /// Path relative to the content root (`about/press-kit.md`).
    pub rel: PathBuf,
    pub front: FrontMatter,
    /// The Markdown body after the front matter.
    pub body: String,
    /// File line on which `body` starts (1-based).
    pub body_line: u32,
    /// Site-absolute URL with leading and trailing slash.
    pub url: String,
}
