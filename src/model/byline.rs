//! What a chapter shows under its title: who wrote the page and when.

use serde::Serialize;

/// A page's byline, ready for every backend: the authors' names and the
/// date as the book's language (or the site's `dateFormat`) writes it.
/// Filled by the structure pass; a page with neither has none.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Byline {
    /// Authors' names, in front-matter order.
    pub authors: Vec<String>,
    pub date: Option<BylineDate>,
}

/// A date shown in a byline.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BylineDate {
    /// ISO 8601 (`2024-03-05`), for machines (`<time datetime>`).
    pub datetime: String,
    /// As a reader sees it (`March 5, 2024`).
    pub text: String,
}

impl Byline {
    /// One line of text: `Jane Doe, John Roe · March 5, 2024` (no words
    /// that would need translating).
    pub fn line(&self) -> String {
        let mut parts = Vec::new();
        if !self.authors.is_empty() {
            parts.push(self.authors.join(", "));
        }
        if let Some(date) = &self.date {
            parts.push(date.text.clone());
        }
        parts.join(" · ")
    }
}
