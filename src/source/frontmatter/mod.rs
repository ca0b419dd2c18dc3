//! Front matter: split first (YAML `---`, TOML `+++`, Pelican `Key: value`
//! header lines), typed second. Keys are matched case-insensitively, as Hugo
//! does (`Title:` in the seeds).
//!
//! # Which format a file uses
//!
//! The first line decides (after a byte order mark, which is skipped):
//!
//! - exactly `---` (trailing spaces allowed): YAML up to the next `---` line;
//! - exactly `+++`: TOML up to the next `+++` line;
//! - otherwise a Pelican header if *all* of these hold: the file starts with
//!   one or more `Key: value` lines (a key is an ASCII letter followed by
//!   letters, digits, `_` or `-`, then `:` and a space, a tab or the end of
//!   the line; a line starting with whitespace continues the previous
//!   value), the block ends at a blank line or at the end of the file, and
//!   one of its keys is `title` (any case). Requiring a title keeps a body
//!   that merely opens with `Note: ...` from losing its first paragraph;
//!   Pelican itself needs a title for every page.
//! - otherwise the file has no front matter.

mod syntax;
mod values;

use crate::diag::Diagnostic;
pub(crate) use crate::diag::to_line;
use crate::limits::Limits;
use crate::precheck::{self, Syntax};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use syntax::{file_line, parse_toml, parse_yaml};
use values::{as_aliases, as_bool, as_text, as_weight, is_date, kind};

/// How a page's front matter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FrontMatterFormat {
    /// YAML between `---` lines.
    Yaml,
    /// TOML between `+++` lines.
    Toml,
    /// Pelican `Key: value` lines ending at the first blank line.
    Pelican,
    /// No front matter at all.
    None,
}

/// A file split into front matter text and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// Which syntax `front` is written in.
    pub format: FrontMatterFormat,
    /// The front matter text without delimiters.
    pub front: &'a str,
    /// File line on which `front` starts.
    pub front_line: u32,
    /// Everything after the front matter (and its closing delimiter).
    pub body: &'a str,
    /// File line on which `body` starts.
    pub body_line: u32,
}

/// The typed front matter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontMatter {
    /// `title`, as written.
    pub title: Option<String>,
    /// `description`, as written.
    pub description: Option<String>,
    /// `date` as written in the file (YAML and TOML dates as their text).
    pub date: Option<String>,
    /// `draft: true`, or Pelican's `Status: draft`.
    pub draft: bool,
    /// `weight`; 0 when unset, which Hugo sorts after every weighted page.
    pub weight: i64,
    /// `slug`: replaces the file name in the page's URL.
    pub slug: Option<String>,
    /// `url`: the page's whole URL path, overriding the file's location.
    pub url: Option<String>,
    /// `aliases`: other URLs of the page (a single string is one alias).
    pub aliases: Vec<String>,
    /// Every key, lower-cased, with its value (the ones above included).
    pub all: BTreeMap<String, serde_json::Value>,
    /// What is odd but not fatal (a `date` no one can read), for the
    /// loader to report.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// The byte order mark some editors put at the start of UTF-8 files.
const BOM: char = '\u{feff}';

pub(crate) const INVALID: &str = "invalid front matter";

/// Splits `text` into front matter and body. Errors (unterminated front
/// matter) name `path` and the line of the opening delimiter.
pub fn split_front_matter<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let first_line = text.split('\n').next().unwrap_or_default();
    match trim_line_end(first_line) {
        "---" => split_delimited(text, "---", FrontMatterFormat::Yaml, path),
        "+++" => split_delimited(text, "+++", FrontMatterFormat::Toml, path),
        _ => Ok(split_pelican(text).unwrap_or(Split {
            format: FrontMatterFormat::None,
            front: "",
            front_line: 1,
            body: text,
            body_line: 1,
        })),
    }
}

/// Parses the front matter text of `split` into typed fields. Errors name
/// `path` and the file line of the problem. Text larger or deeper than
/// `limits` allow is refused before a parser sees it.
pub fn parse_front_matter(
    split: &Split<'_>,
    path: &Path,
    limits: &Limits,
) -> Result<FrontMatter, Diagnostic> {
    let syntax = match split.format {
        FrontMatterFormat::Yaml => Syntax::Yaml,
        FrontMatterFormat::Toml => Syntax::Toml,
        FrontMatterFormat::Pelican | FrontMatterFormat::None => Syntax::Lines,
    };
    precheck::check(
        split.front,
        syntax,
        limits,
        path,
        split.front_line,
        "front matter",
    )?;
    let entries = match split.format {
        FrontMatterFormat::Yaml => parse_yaml(split, path)?,
        FrontMatterFormat::Toml => parse_toml(split, path)?,
        FrontMatterFormat::Pelican => parse_pelican(split),
        FrontMatterFormat::None => Vec::new(),
    };

    let mut all = BTreeMap::new();
    for (key, value) in entries {
        let lower = key.to_lowercase();
        if all.insert(lower.clone(), value).is_some() {
            // Hugo reads keys case-insensitively, so `Title` and `title`
            // would silently fight over one field. The second mention is
            // the surprising one.
            let line = key_lines(split, &key).nth(1).unwrap_or(split.front_line);
            return Err(Diagnostic::error(path, line, INVALID)
                .with_cause(format!("duplicate key `{lower}` (keys ignore case)"))
                .with_hint("keep one of them"));
        }
    }

    let field_error = |key: &str, cause: String| {
        Diagnostic::error(path, key_line(split, key), INVALID).with_cause(cause)
    };
    let text_field =
        |key: &str| as_text(key, all.get(key)).map_err(|cause| field_error(key, cause));

    let mut draft =
        as_bool("draft", all.get("draft")).map_err(|cause| field_error("draft", cause))?;
    if split.format == FrontMatterFormat::Pelican
        && all
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|status| status.trim().eq_ignore_ascii_case("draft"))
    {
        draft = true;
    }

    let date = text_field("date")?;
    let mut warnings = Vec::new();
    if let Some(date) = date.as_deref().filter(|d| !is_date(d)) {
        warnings.push(
            Diagnostic::warning(
                path,
                key_line(split, "date"),
                format!("`date: {date}` is not a date; kept as written"),
            )
            .with_hint(
                "write it as YYYY-MM-DD or 2006-01-02T15:04:05Z (RFC 3339), as Hugo reads it",
            ),
        );
    }

    Ok(FrontMatter {
        title: text_field("title")?,
        description: text_field("description")?,
        date,
        draft,
        weight: as_weight(all.get("weight")).map_err(|cause| field_error("weight", cause))?,
        slug: text_field("slug")?,
        url: text_field("url")?,
        aliases: as_aliases(all.get("aliases")).map_err(|cause| field_error("aliases", cause))?,
        all,
        warnings,
    })
}

/// A line without its line ending and trailing blanks.
fn trim_line_end(line: &str) -> &str {
    line.trim_end_matches([' ', '\t', '\r', '\n'])
}

/// YAML or TOML between two delimiter lines.
fn split_delimited<'a>(
    text: &'a str,
    delimiter: &str,
    format: FrontMatterFormat,
    path: &Path,
) -> Result<Split<'a>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let opening = lines.next().unwrap_or_default();
    let front_start = opening.len();
    let mut offset = front_start;
    for (index, line) in lines.enumerate() {
        if trim_line_end(line) == delimiter {
            // The opening delimiter is line 1, so this line is `index + 2`.
            let closing_line = index + 2;
            return Ok(Split {
                format,
                front: text.get(front_start..offset).unwrap_or_default(),
                front_line: 2,
                body: text.get(offset + line.len()..).unwrap_or_default(),
                body_line: to_line(closing_line + 1),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(path, 1, format!("unterminated front matter: no closing `{delimiter}`"))
            .with_hint(format!(
                "did you forget the closing `{delimiter}`? front matter opened with `{delimiter}` on line 1 must end with a `{delimiter}` line"
            )),
    )
}

/// `Key: value` at the start of a Pelican header line: the key and the value.
fn pelican_entry(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let mut chars = key.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let key_chars_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let separated = rest.is_empty() || rest.starts_with([' ', '\t']);
    (starts_with_letter && key_chars_ok && separated).then_some((key, rest.trim()))
}

/// A Pelican header at the start of `text`, by the rule in the module docs.
fn split_pelican(text: &str) -> Option<Split<'_>> {
    let mut offset = 0;
    let mut header_lines = 0;
    let mut has_title = false;
    for line in text.split_inclusive('\n') {
        let content = trim_line_end(line);
        if content.trim().is_empty() {
            if header_lines == 0 || !has_title {
                return None;
            }
            // The blank line is the delimiter: the body starts after it.
            return Some(Split {
                format: FrontMatterFormat::Pelican,
                front: text.get(..offset).unwrap_or_default(),
                front_line: 1,
                body: text.get(offset + line.len()..).unwrap_or_default(),
                body_line: to_line(header_lines + 2),
            });
        }
        if let Some((key, _)) = pelican_entry(content) {
            has_title |= key.eq_ignore_ascii_case("title");
        } else if header_lines == 0 || !content.starts_with([' ', '\t']) {
            return None;
        }
        offset += line.len();
        header_lines += 1;
    }
    (header_lines > 0 && has_title).then(|| Split {
        format: FrontMatterFormat::Pelican,
        front: text,
        front_line: 1,
        body: "",
        body_line: to_line(header_lines + 1),
    })
}

/// Pelican headers: every value is a string; continuation lines are joined
/// to the previous value with a space.
fn parse_pelican(split: &Split<'_>) -> Vec<(String, Value)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    for line in split.front.lines() {
        let content = trim_line_end(line);
        match pelican_entry(content) {
            Some((key, value)) => entries.push((key.to_string(), value.to_string())),
            None => {
                if let Some((_, value)) = entries.last_mut() {
                    let more = content.trim();
                    if !value.is_empty() && !more.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(more);
                }
            }
        }
    }
    entries
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect()
}

/// The file line on which `key` (any case) is set, for errors about its
/// value; the first front matter line when it cannot be found.
fn key_line(split: &Split<'_>, key: &str) -> u32 {
    key_lines(split, key).next().unwrap_or(split.front_line)
}

/// The file lines on which the top-level `key` (any case) is set. Only
/// unindented lines count (an indented `title:` belongs to a nested
/// mapping or continues a Pelican value), and TOML's top level ends at its
/// first `[table]`.
fn key_lines<'s>(split: &'s Split<'_>, key: &'s str) -> impl Iterator<Item = u32> + 's {
    let in_toml = split.format == FrontMatterFormat::Toml;
    split
        .front
        .lines()
        .enumerate()
        .take_while(move |(_, line)| !(in_toml && line.starts_with('[')))
        .filter(move |(_, line)| {
            let line = line.trim_start_matches(['"', '\'']);
            let head = line.get(..key.len()).unwrap_or_default();
            let tail = line.get(key.len()..).unwrap_or_default();
            head.eq_ignore_ascii_case(key)
                && tail
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with([':', '='])
        })
        .map(|(index, _)| file_line(split, index + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("content/page.md")
    }

    fn split(text: &str) -> Split<'_> {
        split_front_matter(text, path()).unwrap()
    }

    fn parse(text: &str) -> Result<FrontMatter, Diagnostic> {
        parse_front_matter(&split(text), path(), &Limits::default())
    }

    #[test]
    fn yaml_split_and_body_line() {
        let s = split("---\nTitle: Press Kit\nUrl: about/press-kit\n---\n\n# What is XMPP\n");
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(s.front, "Title: Press Kit\nUrl: about/press-kit\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "\n# What is XMPP\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn delimiters_allow_trailing_spaces_and_bom() {
        let s = split("\u{feff}---  \ntitle: A\n--- \nbody");
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_yaml_front_matter_is_empty() {
        let s = split("---\n---\nbody\n");
        assert_eq!(s.front, "");
        assert_eq!(s.body_line, 3);
        let front = parse_front_matter(&s, path(), &Limits::default()).unwrap();
        assert!(front.all.is_empty());
        assert_eq!(front.title, None);
    }

    #[test]
    fn toml_split_and_parse() {
        let text = "+++\ntitle = \"Hello\"\nweight = 3\ndate = 2023-05-01T10:00:00Z\naliases = [\"/a/\", \"/b/\"]\n+++\nbody\n";
        let s = split(text);
        assert_eq!(s.format, FrontMatterFormat::Toml);
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 7);
        let front = parse_front_matter(&s, path(), &Limits::default()).unwrap();
        assert_eq!(front.title.as_deref(), Some("Hello"));
        assert_eq!(front.weight, 3);
        assert_eq!(front.date.as_deref(), Some("2023-05-01T10:00:00Z"));
        assert_eq!(front.aliases, ["/a/", "/b/"]);
    }

    #[test]
    fn pelican_split_and_parse() {
        let text = "Title: XSF Member Meeting 2007-02-01\nDate: 2010-10-04 07:44\nAuthor: agnauck\nSlug: xsf-member-meeting-2007-02-01\nStatus: published\n\n-   Where: foundation\n";
        let s = split(text);
        assert_eq!(s.format, FrontMatterFormat::Pelican);
        assert_eq!(s.front_line, 1);
        assert_eq!(s.body, "-   Where: foundation\n");
        assert_eq!(s.body_line, 7);
        let front = parse_front_matter(&s, path(), &Limits::default()).unwrap();
        assert_eq!(
            front.title.as_deref(),
            Some("XSF Member Meeting 2007-02-01")
        );
        assert_eq!(front.date.as_deref(), Some("2010-10-04 07:44"));
        assert_eq!(front.slug.as_deref(), Some("xsf-member-meeting-2007-02-01"));
        assert!(!front.draft);
        assert_eq!(front.all.get("author"), Some(&Value::from("agnauck")));
        assert_eq!(front.all.get("status"), Some(&Value::from("published")));
    }

    #[test]
    fn pelican_header_at_end_of_file_and_continuations() {
        let s = split("Title: Only\nTags: a,\n    b");
        assert_eq!(s.format, FrontMatterFormat::Pelican);
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, 4);
        let front = parse_front_matter(&s, path(), &Limits::default()).unwrap();
        assert_eq!(front.all.get("tags"), Some(&Value::from("a, b")));
    }

    #[test]
    fn pelican_status_draft_and_string_weight() {
        let front = parse("Title: T\nStatus: draft\nWeight: 7\n\nbody").unwrap();
        assert!(front.draft);
        assert_eq!(front.weight, 7);
    }

    #[test]
    fn body_that_looks_like_a_header_is_not_one() {
        for text in [
            "Note: something important\n\nMore text.\n",
            "Title: ok\nbut this is prose\n\n",
            "http://example.org is a link\n",
            "\nTitle: after a blank line\n",
        ] {
            let s = split(text);
            assert_eq!(s.format, FrontMatterFormat::None, "{text:?}");
            assert_eq!(s.body, text);
            assert_eq!(s.body_line, 1);
        }
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Heading\n\ntext\n");
        assert_eq!(s.format, FrontMatterFormat::None);
        assert_eq!(s.body_line, 1);
        assert!(
            parse_front_matter(&s, path(), &Limits::default())
                .unwrap()
                .all
                .is_empty()
        );
    }

    #[test]
    fn keys_are_case_insensitive() {
        let front = parse(
            "---\nTitle: XSF Mission\nUrl: about/xsf/mission\nSidebar_menu_show: true\n---\n",
        )
        .unwrap();
        assert_eq!(front.title.as_deref(), Some("XSF Mission"));
        assert_eq!(front.url.as_deref(), Some("about/xsf/mission"));
        assert_eq!(front.all.get("sidebar_menu_show"), Some(&Value::Bool(true)));
        assert_eq!(front.all.get("title"), Some(&Value::from("XSF Mission")));
    }

    #[test]
    fn duplicate_keys_differing_in_case_are_an_error() {
        let err = parse("---\ntitle: a\nlayout: x\nTitle: b\n---\n").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(
            err.cause
                .unwrap_or_default()
                .contains("duplicate key `title`")
        );
    }

    #[test]
    fn aliases_list_or_string() {
        let front =
            parse("---\naliases:\n    - \"/about/xsf/roadmap.html\"\n    - /old/\n---\n").unwrap();
        assert_eq!(front.aliases, ["/about/xsf/roadmap.html", "/old/"]);
        let front = parse("---\naliases: /one/\n---\n").unwrap();
        assert_eq!(front.aliases, ["/one/"]);
    }

    #[test]
    fn draft_and_weight_types() {
        let front = parse("---\ndraft: true\nweight: \"12\"\n---\n").unwrap();
        assert!(front.draft);
        assert_eq!(front.weight, 12);
        let front = parse("---\ndraft: \"false\"\nweight: 4\n---\n").unwrap();
        assert!(!front.draft);
        assert_eq!(front.weight, 4);
        let err = parse("---\ntitle: t\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.cause
                .unwrap_or_default()
                .contains("`weight` must be an integer")
        );
    }

    #[test]
    fn yaml_dates_and_numbers_stay_as_text() {
        let front = parse("---\ntitle: 2023\ndate: 2023-05-01\n---\n").unwrap();
        assert_eq!(front.title.as_deref(), Some("2023"));
        assert_eq!(front.date.as_deref(), Some("2023-05-01"));
    }

    #[test]
    fn wrongly_typed_known_key_names_its_line() {
        let err = parse("---\nparams:\n  title: x\nTitle: [1, 2]\n---\n").unwrap_err();
        assert_eq!(err.message, "invalid front matter");
        assert_eq!(err.path.as_deref(), Some(path()));
        assert_eq!(err.line, 4);
        assert_eq!(
            err.cause.as_deref(),
            Some("`title` must be a string, found a list")
        );
    }

    #[test]
    fn non_mapping_front_matter_is_an_error() {
        let err = parse("---\n- a\n- b\n---\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.cause.unwrap_or_default().contains("must be a mapping"));
    }

    #[test]
    fn unterminated_yaml_is_an_error_at_line_1_with_hint() {
        let err = split_front_matter("---\ntitle: x\n\nbody\n", path()).unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(err.message, "unterminated front matter: no closing `---`");
        assert!(
            err.hint
                .unwrap_or_default()
                .contains("did you forget the closing `---`?")
        );
        let err = split_front_matter("+++\ntitle = 1\n", path()).unwrap_err();
        assert_eq!(err.message, "unterminated front matter: no closing `+++`");
    }

    #[test]
    fn yaml_syntax_error_has_the_file_line() {
        // Line 4 of the file: the unbalanced quote's line.
        let err =
            parse("---\ntitle: ok\nurl: a\nbad: \"unclosed\nmore: x\n---\nbody\n").unwrap_err();
        assert_eq!(err.message, "invalid front matter");
        // libyaml notices at the end of the front matter (line 6) and says
        // where the quoted scalar began (file line 4, column 6).
        assert_eq!(err.line, 6);
        assert_eq!(
            err.cause.as_deref(),
            Some(
                "found unexpected end of stream, while scanning a quoted scalar at line 4 column 6"
            )
        );

        let err = parse("---\ntitle: a\nurl: b: c\n---\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.column, 7);
        assert_eq!(
            err.cause.as_deref(),
            Some("mapping values are not allowed in this context")
        );
    }

    #[test]
    fn toml_syntax_error_has_the_file_line() {
        let err = parse("+++\ntitle = \"a\"\nweight = = 3\n+++\n").unwrap_err();
        assert_eq!(err.message, "invalid front matter");
        assert_eq!(err.line, 3);
        assert_eq!(err.column, 10);
        assert_eq!(err.cause.as_deref(), Some("extra `=`, expected nothing"));
    }
}
