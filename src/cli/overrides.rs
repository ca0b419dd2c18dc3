//! `-M key=value` and `--title`: book metadata set on the command line, as
//! Hugo's and pandoc's `-M` do, for the selected books (all when no
//! `--book` is given). Applied twice: to the books' configuration before
//! loading (so that `base_url` and `language` shape links and pages as the
//! config's would) and to each loaded book's metadata (so that books made
//! up from a whole site, which have no configuration of their own, get
//! them too).

use clap::Args;
use folio::{Loaded, Project};

/// The keys `-M` takes.
pub const KEYS: &str =
    "title, subtitle, description, publisher, rights, language, base_url, authors, keywords, date";

/// Metadata options shared by `build`, `check` and `model`.
#[derive(Debug, Clone, Args, Default)]
pub struct MetaArgs {
    /// Set book metadata (repeatable): KEY is title, subtitle,
    /// description, publisher, rights, language, base_url, authors or
    /// keywords (comma-separated lists), or date (YYYY-MM-DD, the book's
    /// date instead of SOURCE_DATE_EPOCH).
    #[arg(short = 'M', long = "meta", value_name = "KEY=VALUE", value_parser = parse_meta)]
    pub meta: Vec<MetaValue>,
    /// The title of the selected books (the same as `-M title=TITLE`).
    #[arg(long, value_name = "TITLE", value_parser = parse_title)]
    pub title: Option<String>,
}

/// One `-M key=value`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaValue {
    Title(String),
    /// Empty: none.
    Subtitle(String),
    Description(String),
    Publisher(String),
    Rights(String),
    Language(String),
    /// Ends with `/`.
    BaseUrl(String),
    Authors(Vec<String>),
    Keywords(Vec<String>),
    /// Unix seconds, 00:00 UTC of the day given.
    Date(i64),
}

fn parse_title(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("a book's title cannot be empty".into());
    }
    Ok(value.to_string())
}

/// Parses `key=value` (the key's `-` and `_` alike).
pub fn parse_meta(arg: &str) -> Result<MetaValue, String> {
    let (key, value) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, where KEY is one of: {KEYS}"))?;
    let list = |v: &str| -> Vec<String> {
        v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let text = value.to_string();
    Ok(
        match key.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "title" => MetaValue::Title(parse_title(value)?),
            "subtitle" => MetaValue::Subtitle(text),
            "description" => MetaValue::Description(text),
            "publisher" => MetaValue::Publisher(text),
            "rights" => MetaValue::Rights(text),
            "language" | "lang" => MetaValue::Language(parse_language(value)?),
            "base_url" | "baseurl" => MetaValue::BaseUrl(parse_base_url(value)?),
            "authors" | "author" => MetaValue::Authors(list(value)),
            "keywords" => MetaValue::Keywords(list(value)),
            "date" => MetaValue::Date(parse_date(value)?),
            other => return Err(format!("unknown key `{other}`; the keys are: {KEYS}")),
        },
    )
}

/// A language tag: letters, digits and `-` (`en`, `pt-BR`).
fn parse_language(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value.len() <= 35
        && value.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "`{value}` is not a language tag (like `en` or `pt-BR`)"
        ))
    }
}

/// An `http(s)://` URL with a host, ending in `/`.
fn parse_base_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            let mut url = value.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Ok(url)
        }
        _ => Err(format!(
            "`{value}` is not a base URL (like `https://xmpp.org/`)"
        )),
    }
}

/// `YYYY-MM-DD` as Unix seconds at 00:00 UTC.
fn parse_date(value: &str) -> Result<i64, String> {
    let bad = || format!("`{value}` is not a date as YYYY-MM-DD");
    let mut parts = value.split('-');
    let mut next = |len: usize| -> Result<u32, String> {
        let part = parts.next().filter(|p| p.len() == len).ok_or_else(bad)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let (year, month, day) = (next(4)?, next(2)?, next(2)?);
    if parts.next().is_some() {
        return Err(bad());
    }
    let year = i32::try_from(year).map_err(|_| bad())?;
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .ok_or_else(bad)
}

impl MetaArgs {
    /// Every override, `--title` last (it wins over `-M title=`).
    fn values(&self) -> Vec<MetaValue> {
        let mut values = self.meta.clone();
        values.extend(self.title.clone().map(MetaValue::Title));
        values
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_empty() && self.title.is_none()
    }

    /// Sets the overrides in the configuration of the `books` asked for
    /// (empty: all), before they are loaded. A whole-site project's book has
    /// no configuration: its `defaults` take what they can (publisher,
    /// rights, language, base URL, authors); the rest waits for
    /// [`apply_to_book`](Self::apply_to_book).
    pub fn apply_to_config(&self, project: &mut Project, books: &[String]) {
        if self.is_empty() {
            return;
        }
        let values = self.values();
        if project.whole_site {
            let d = &mut project.config.defaults;
            for value in &values {
                match value {
                    MetaValue::Publisher(v) => d.publisher = non_empty(v),
                    MetaValue::Rights(v) => d.rights = non_empty(v),
                    MetaValue::Language(v) => d.language = Some(v.clone()),
                    MetaValue::BaseUrl(v) => d.base_url = Some(v.clone()),
                    MetaValue::Authors(v) => d.authors.clone_from(v),
                    _ => {}
                }
            }
            return;
        }
        for (name, book) in project.config.books.iter_mut() {
            if !books.is_empty() && !books.contains(name) {
                continue;
            }
            for value in &values {
                match value {
                    MetaValue::Title(v) => book.title.clone_from(v),
                    MetaValue::Subtitle(v) => book.subtitle = non_empty(v),
                    MetaValue::Description(v) => book.description = non_empty(v),
                    MetaValue::Publisher(v) => book.publisher = non_empty(v),
                    MetaValue::Rights(v) => book.rights = non_empty(v),
                    MetaValue::Language(v) => book.language = Some(v.clone()),
                    MetaValue::BaseUrl(v) => book.base_url = Some(v.clone()),
                    MetaValue::Authors(v) => book.authors.clone_from(v),
                    MetaValue::Keywords(v) => book.keywords.clone_from(v),
                    MetaValue::Date(_) => {}
                }
            }
        }
    }

    /// Sets the overrides in a loaded book's metadata (the books loaded are
    /// the ones asked for).
    pub fn apply_to_book(&self, loaded: &mut Loaded) {
        let meta = &mut loaded.book.meta;
        for value in self.values() {
            match value {
                MetaValue::Title(v) => meta.title = v,
                MetaValue::Subtitle(v) => meta.subtitle = non_empty(&v),
                MetaValue::Description(v) => meta.description = non_empty(&v),
                MetaValue::Publisher(v) => meta.publisher = non_empty(&v),
                MetaValue::Rights(v) => meta.rights = non_empty(&v),
                MetaValue::Language(v) => {
                    // Pages that had the book's language take the new one.
                    for page in &mut loaded.book.pages {
                        if page.lang == meta.language {
                            page.lang.clone_from(&v);
                        }
                    }
                    meta.direction = folio::model::Direction::of_language(&v);
                    meta.language = v;
                }
                MetaValue::BaseUrl(v) => meta.base_url = v,
                MetaValue::Authors(v) => meta.authors = v,
                MetaValue::Keywords(v) => meta.keywords = v,
                MetaValue::Date(v) => meta.date = v,
            }
        }
    }
}

fn non_empty(v: &str) -> Option<String> {
    (!v.trim().is_empty()).then(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        assert_eq!(
            parse_meta("title=A: B"),
            Ok(MetaValue::Title("A: B".into()))
        );
        assert_eq!(
            parse_meta("authors= Ann , Bo,,"),
            Ok(MetaValue::Authors(vec!["Ann".into(), "Bo".into()]))
        );
        assert_eq!(
            parse_meta("base-url=https://xmpp.org"),
            Ok(MetaValue::BaseUrl("https://xmpp.org/".into()))
        );
        assert_eq!(
            parse_meta("language=pt-BR"),
            Ok(MetaValue::Language("pt-BR".into()))
        );
        assert_eq!(
            parse_meta("date=2024-02-29"),
            Ok(MetaValue::Date(1_709_164_800))
        );
        assert_eq!(
            parse_meta("subtitle="),
            Ok(MetaValue::Subtitle(String::new()))
        );
    }

    #[test]
    fn bad_overrides_are_refused() {
        for bad in [
            "title",
            "title=",
            "colour=red",
            "date=2023-02-29",
            "date=24-01-01",
            "date=2024-1-1",
            "language=en_US",
            "language=",
            "base_url=xmpp.org",
            "base_url=https:///x",
            "base_url=https://a b/",
        ] {
            assert!(parse_meta(bad).is_err(), "{bad} accepted");
        }
        assert!(parse_meta("colour=red").unwrap_err().contains(KEYS));
    }
}
