//! From a page body to model blocks: Hugo shortcodes lexed first (with
//! spans), then Markdown via pulldown-cmark with shortcodes as typed nodes.

mod builder;
mod clamp;
mod html;
mod ids;
pub mod markdown;
#[cfg(test)]
mod nesting_tests;
pub mod shortcode;
mod squeeze;
#[cfg(test)]
mod tests;

pub use ids::slugify;
pub use markdown::{ParseOptions, ParsedBody, markdown_options, parse_body};
