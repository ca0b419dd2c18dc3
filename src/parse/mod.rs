//! From a page body to model blocks: Hugo shortcodes lexed first (with
//! spans), then Markdown via pulldown-cmark with shortcodes as typed nodes.

pub mod markdown;
pub mod shortcode;

pub use markdown::{ParseOptions, ParsedBody, parse_body};
