//! From a page body to model blocks: Hugo shortcodes lexed first (with
//! spans), then Markdown via pulldown-cmark with shortcodes as typed nodes.

mod builder;
#[cfg(test)]
mod builtin_tests;
mod clamp;
mod html;
mod hugo;
mod ids;
pub mod markdown;
#[cfg(test)]
mod nesting_tests;
mod qr;
mod resolve;
pub mod shortcode;
mod squeeze;
#[cfg(test)]
mod tests;
mod typography;
pub mod widgets;

pub use ids::slugify;
pub use markdown::{
    PageContext, ParseOptions, ParsedBody, markdown_options, parse_body, parse_page,
};
pub use widgets::Widgets;
