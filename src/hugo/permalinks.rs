//! Hugo's `permalinks`: URL patterns by section, such as
//! `blog: /:year/:month/:title/`, with Hugo's tokens.
//!
//! Both of Hugo's shapes are read: `permalinks: {blog: pattern}` (the
//! pattern of the section's pages) and `permalinks: {page: {blog:
//! pattern}, section: {blog: pattern}}` (pages and section lists apart).
//! The section is the page's top-level folder.

use super::config::{RawConfig, kind};
use crate::date::{ENGLISH_MONTHS, ENGLISH_WEEKDAYS};
use crate::diag::Diagnostic;
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The patterns of a site (or of one language of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permalinks {
    /// Section -> the pattern of its regular pages.
    pub pages: BTreeMap<String, Pattern>,
    /// Section -> the pattern of its `_index` page.
    pub sections: BTreeMap<String, Pattern>,
}

impl Permalinks {
    /// The pattern for a page of `section` (`is_section`: the section's own
    /// `_index` page).
    pub fn for_page(&self, section: &str, is_section: bool) -> Option<&Pattern> {
        let map = if is_section {
            &self.sections
        } else {
            &self.pages
        };
        map.get(&section.to_lowercase())
    }

    /// Whether no pattern is set.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.sections.is_empty()
    }
}

/// One pattern, split into literal text and tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// As written in the configuration.
    pub text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Token(Token),
}

/// Hugo's permalink tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    Month,
    MonthName,
    Day,
    Weekday,
    WeekdayName,
    YearDay,
    Section,
    Sections,
    Title,
    Slug,
    Filename,
    SlugOrFilename,
    ContentBaseName,
    SlugOrContentBaseName,
}

const TOKENS: [(&str, Token); 15] = [
    ("year", Token::Year),
    ("month", Token::Month),
    ("monthname", Token::MonthName),
    ("day", Token::Day),
    ("weekday", Token::Weekday),
    ("weekdayname", Token::WeekdayName),
    ("yearday", Token::YearDay),
    ("section", Token::Section),
    ("sections", Token::Sections),
    ("title", Token::Title),
    ("slug", Token::Slug),
    ("filename", Token::Filename),
    ("slugorfilename", Token::SlugOrFilename),
    ("contentbasename", Token::ContentBaseName),
    ("slugorcontentbasename", Token::SlugOrContentBaseName),
];

/// What a pattern is filled from: one page.
#[derive(Debug, Clone, Default)]
pub struct PageFields<'a> {
    /// The folders from the content root to the page (`["blog", "2024"]`).
    pub sections: &'a [String],
    pub title: Option<&'a str>,
    pub slug: Option<&'a str>,
    /// The file name without extension or language (`post` for
    /// `post.de.md`, `index` for a bundle's `index.md`).
    pub filename: &'a str,
    /// Hugo's content base name: the file name, or a bundle's folder name.
    pub content_base_name: &'a str,
    /// The page's date as `[year, month, day]`, when it has one.
    pub date: Option<[u32; 3]>,
}

impl Pattern {
    /// Parses `text`; an unknown `:token` is an error naming it.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(colon) = rest.find(':') {
            literal.push_str(rest.get(..colon).unwrap_or_default());
            let after = rest.get(colon + 1..).unwrap_or_default();
            let name_len = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let name = after.get(..name_len).unwrap_or_default();
            if name.is_empty() {
                // A lone `:` is text.
                literal.push(':');
                rest = after;
                continue;
            }
            let token = TOKENS
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, t)| *t)
                .ok_or_else(|| {
                    let known: Vec<String> = TOKENS.iter().map(|(n, _)| format!(":{n}")).collect();
                    format!(
                        "unknown permalink token `:{name}` in `{text}` (known: {})",
                        known.join(", ")
                    )
                })?;
            if after.get(name_len..).is_some_and(|s| s.starts_with('[')) {
                return Err(format!(
                    "`:{name}[...]` in `{text}`: folio does not read slices of tokens"
                ));
            }
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(Part::Token(token));
            rest = after.get(name_len..).unwrap_or_default();
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Pattern {
            text: text.to_string(),
            parts,
        })
    }

    /// The URL path of `page` (not yet normalised: the caller joins and
    /// lower-cases it as it does every URL).
    pub fn expand(&self, page: &PageFields<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Token(token) => out.push_str(&fill(*token, page)),
            }
        }
        out
    }
}

/// One token's value for `page`. A page without a date gets Hugo's zero
/// date (`0001-01-01`), as Hugo gives it.
fn fill(token: Token, page: &PageFields<'_>) -> String {
    let [year, month, day] = page.date.unwrap_or([1, 1, 1]);
    let date = i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day));
    let title = || urlize(page.title.unwrap_or(page.filename));
    let slug = || page.slug.map(urlize).filter(|s| !s.is_empty());
    match token {
        Token::Year => format!("{year:04}"),
        Token::Month => format!("{month:02}"),
        Token::MonthName => ENGLISH_MONTHS
            .get(month.saturating_sub(1) as usize)
            .map_or_else(String::new, |m| m.to_lowercase()),
        Token::Day => format!("{day:02}"),
        Token::Weekday => date.map_or_else(String::new, |d| {
            d.weekday().num_days_from_sunday().to_string()
        }),
        Token::WeekdayName => date.map_or_else(String::new, |d| {
            ENGLISH_WEEKDAYS
                .get(d.weekday().num_days_from_monday() as usize)
                .map_or_else(String::new, |w| w.to_lowercase())
        }),
        Token::YearDay => date.map_or_else(String::new, |d| d.ordinal().to_string()),
        Token::Section => page.sections.first().cloned().unwrap_or_default(),
        Token::Sections => page.sections.join("/"),
        Token::Title => title(),
        Token::Slug => slug().unwrap_or_else(title),
        Token::Filename => page.filename.to_string(),
        Token::ContentBaseName => page.content_base_name.to_string(),
        Token::SlugOrFilename => slug().unwrap_or_else(|| page.filename.to_string()),
        Token::SlugOrContentBaseName => {
            slug().unwrap_or_else(|| page.content_base_name.to_string())
        }
    }
}

/// The permalink patterns at `keys` (`permalinks`, or a language's), in
/// either of Hugo's shapes; a bad pattern is an error at its line.
pub fn read(raw: &RawConfig, keys: &[&str]) -> Result<Option<Permalinks>, Diagnostic> {
    let table = match raw.get(keys) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(raw.error_at(
                keys,
                format!(
                    "`permalinks` must map sections to URL patterns, found {}",
                    kind(other)
                ),
            ));
        }
    };
    let mut permalinks = Permalinks::default();
    let patterns = |map: &Map<String, Value>, kind_key: Option<&str>| {
        let mut out = std::collections::BTreeMap::new();
        for (section, value) in map {
            let mut at: Vec<&str> = keys.to_vec();
            at.extend(kind_key);
            at.push(section);
            let text = value.as_str().ok_or_else(|| {
                raw.error_at(
                    &at,
                    format!(
                        "the permalink of `{section}` must be a pattern such as `/:year/:title/`, found {}",
                        kind(value)
                    ),
                )
            })?;
            let pattern = Pattern::parse(text).map_err(|why| raw.error_at(&at, why))?;
            out.insert(section.clone(), pattern);
        }
        Ok::<_, Diagnostic>(out)
    };
    let nested = table.values().any(Value::is_object);
    if nested {
        for (kind_key, value) in table {
            let Some(map) = value.as_object() else {
                continue;
            };
            match kind_key.as_str() {
                "page" => permalinks.pages = patterns(map, Some("page"))?,
                "section" => permalinks.sections = patterns(map, Some("section"))?,
                // Taxonomies and terms have no pages in a book.
                _ => {}
            }
        }
    } else {
        permalinks.pages = patterns(table, None)?;
    }
    Ok(Some(permalinks))
}

/// Text as Hugo puts it in a URL (its `urlize`): lower case, white space
/// as `-`, only letters, digits and `.-_~+` kept.
pub fn urlize(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '+' | '/') {
                Some(c)
            } else {
                None
            }
        })
        .collect::<String>()
        .to_lowercase()
}

/// `YYYY-MM-DD` at the start of `text` (a date as front matter writes it).
pub fn date_of(text: &str) -> Option<[u32; 3]> {
    let text = text.trim();
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let dash = |at: usize| text.as_bytes().get(at) == Some(&b'-');
    if !(dash(4) && dash(7)) {
        return None;
    }
    let date = [field(0..4)?, field(5..7)?, field(8..10)?];
    (1..=12).contains(&date[1]).then_some(())?;
    (1..=31).contains(&date[2]).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(pattern: &str, page: &PageFields<'_>) -> String {
        Pattern::parse(pattern).unwrap().expand(page)
    }

    fn post<'a>(sections: &'a [String]) -> PageFields<'a> {
        PageFields {
            sections,
            title: Some("Hello, World: Part 2!"),
            slug: None,
            filename: "hello",
            content_base_name: "hello",
            date: Some([2024, 8, 5]),
        }
    }

    #[test]
    fn every_token() {
        let sections = vec!["blog".to_string(), "2024".to_string()];
        let page = post(&sections);
        assert_eq!(
            expand("/:year/:month/:day/:title/", &page),
            "/2024/08/05/hello-world-part-2/"
        );
        assert_eq!(expand("/:section/:filename/", &page), "/blog/hello/");
        assert_eq!(
            expand("/:sections/:contentbasename", &page),
            "/blog/2024/hello"
        );
        assert_eq!(expand("/:slug/", &page), "/hello-world-part-2/");
        assert_eq!(expand("/:slugorfilename/", &page), "/hello/");
        assert_eq!(
            expand("/:monthname/:weekday/:weekdayname/:yearday/", &page),
            "/august/1/monday/218/"
        );
        let page = PageFields {
            slug: Some("Short One"),
            ..post(&sections)
        };
        assert_eq!(expand("/:slug/", &page), "/short-one/");
        assert_eq!(expand("/:slugorcontentbasename/", &page), "/short-one/");
    }

    #[test]
    fn bundles_name_their_folder() {
        let page = PageFields {
            filename: "index",
            content_base_name: "trip",
            ..post(&[])
        };
        assert_eq!(
            expand("/:filename/:contentbasename/", &page),
            "/index/trip/"
        );
        assert_eq!(expand("/:slugorcontentbasename/", &page), "/trip/");
    }

    #[test]
    fn undated_pages_get_hugos_zero_date() {
        let page = PageFields {
            date: None,
            ..post(&[])
        };
        assert_eq!(
            expand("/:year/:month/:title/", &page),
            "/0001/01/hello-world-part-2/"
        );
    }

    #[test]
    fn unknown_tokens_are_named() {
        let err = Pattern::parse("/:yaer/:title/").unwrap_err();
        assert!(err.contains("`:yaer`"), "{err}");
        assert!(Pattern::parse("/:sections[1:]/").is_err());
        // A colon not followed by a name is text.
        assert_eq!(expand("/a:/:title", &post(&[])), "/a:/hello-world-part-2");
    }

    #[test]
    fn dates() {
        assert_eq!(date_of("2024-08-05T10:00:00+02:00"), Some([2024, 8, 5]));
        assert_eq!(date_of("2011-11-10 13:51"), Some([2011, 11, 10]));
        assert_eq!(date_of("2024-13-05"), None);
        assert_eq!(date_of("someday"), None);
        assert_eq!(date_of("é"), None);
    }
}
