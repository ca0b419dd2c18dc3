//! A Hugo site's languages: `defaultContentLanguage` and the `languages`
//! table, each entry with Hugo's old and new key names (`languageName` or
//! `label`, `languageCode` or `locale`, `languageDirection` or
//! `direction`), `weight`, `contentDir`, `title`, `params`, `baseURL`,
//! `permalinks` and `disabled`.

use super::config::{RawConfig, kind};
use super::permalinks::{self, Permalinks};
use crate::diag::Diagnostic;
pub use crate::model::Direction;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// One language of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// The code the site uses in file names and URLs (`de`, `pt-br`),
    /// lower-cased.
    pub code: String,
    /// Its name for people (`Deutsch`), when given.
    pub name: Option<String>,
    /// Its BCP 47 tag (`languageCode`/`locale`, e.g. `pt-BR`), when given.
    pub locale: Option<String>,
    pub direction: Direction,
    /// Hugo's order of languages (lighter first; 0 is unset).
    pub weight: i64,
    /// Its own content folder (`contentDir`), relative to the site folder.
    pub content_dir: Option<PathBuf>,
    /// The site title in this language.
    pub title: Option<String>,
    /// Its `params`, over the site's (merged by [`super::HugoSite::params_for`]).
    pub params: Value,
    /// Its own base URL (Hugo's multihost sites), when given.
    pub base_url: Option<String>,
    /// Its own permalink patterns, when given.
    pub permalinks: Option<Permalinks>,
}

impl Language {
    /// The language's BCP 47 tag: its locale, else its code.
    pub fn tag(&self) -> &str {
        self.locale.as_deref().unwrap_or(&self.code)
    }

    /// A language known by its code alone.
    pub fn bare(code: &str) -> Language {
        Language {
            code: code.to_lowercase(),
            name: None,
            locale: None,
            direction: Direction::Ltr,
            weight: 0,
            content_dir: None,
            title: None,
            params: Value::Null,
            base_url: None,
            permalinks: None,
        }
    }
}

/// Whether `code` can name a language: it becomes part of file names, URL
/// paths and book names, so letters, digits, `-` and `_` only.
pub fn is_language_code(code: &str) -> bool {
    code.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && code.len() <= 35
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The languages configured in `raw`, enabled ones only, in Hugo's order
/// (weight, then code), the default language's code, and the codes of
/// the languages turned off. Without a
/// `languages` table the site has one language, the default.
pub fn read(
    raw: &RawConfig,
    limit: usize,
) -> Result<(Vec<Language>, String, Vec<String>), Diagnostic> {
    let default = match raw.get(&["defaultcontentlanguage"]) {
        None | Some(Value::Null) => "en".to_string(),
        Some(Value::String(s)) if is_language_code(s.trim()) => s.trim().to_lowercase(),
        Some(other) => {
            return Err(raw.error_at(
                &["defaultcontentlanguage"],
                format!(
                    "`defaultContentLanguage` must be a language code such as `en`, found {}",
                    shown(other)
                ),
            ));
        }
    };
    let mut disabled = disabled_languages(raw)?;
    let table = match raw.get(&["languages"]) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(other) => {
            return Err(raw.error_at(
                &["languages"],
                format!(
                    "`languages` must be a mapping of language codes, found {}",
                    kind(other)
                ),
            ));
        }
    };
    if table.len() > limit {
        return Err(raw
            .error_at(
                &["languages"],
                format!(
                    "the site lists {} languages, more than the limit of {limit}",
                    table.len()
                ),
            )
            .with_hint("raise `limits: languages` in folio.yaml if this is intended"));
    }
    let mut languages = Vec::new();
    for (code, entry) in &table {
        if !is_language_code(code) {
            return Err(raw
                .error_at(
                    &["languages", code],
                    format!("`{code}` is not a language code"),
                )
                .with_hint(
                    "a language code (`de`, `pt-br`) has letters, digits and `-` only: it becomes part of file and book names",
                ));
        }
        let language = one(raw, code, entry)?;
        if matches!(entry.get("disabled"), Some(Value::Bool(true))) {
            disabled.push(code.clone());
        }
        if !disabled.contains(code) {
            languages.push(language);
        }
    }
    if table.is_empty() {
        let mut language = Language::bare(&default);
        language.locale = text(raw, &["languagecode"])?.or(text(raw, &["locale"])?);
        languages.push(language);
    } else if !languages.iter().any(|l| l.code == default) {
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        let at: &[&str] = if raw.get(&["defaultcontentlanguage"]).is_some() {
            &["defaultcontentlanguage"]
        } else {
            &["languages"]
        };
        return Err(raw
            .error_at(
                at,
                format!("the default language `{default}` is not among the site's languages"),
            )
            .with_hint(format!("languages configured: {}", codes.join(", "))));
    }
    languages.sort_by(|a, b| {
        (a.weight == 0, a.weight, &a.code).cmp(&(b.weight == 0, b.weight, &b.code))
    });
    Ok((languages, default, disabled))
}

/// One entry of the `languages` table.
fn one(raw: &RawConfig, code: &str, entry: &Value) -> Result<Language, Diagnostic> {
    fn at<'a>(code: &'a str, key: &'a str) -> [&'a str; 3] {
        ["languages", code, key]
    }
    if !entry.is_object() && !entry.is_null() {
        return Err(raw.error_at(
            &["languages", code],
            format!(
                "language `{code}` must be a mapping of settings, found {}",
                kind(entry)
            ),
        ));
    }
    let get = |key: &str| text(raw, &at(code, key));
    let params = match entry.get("params") {
        None | Some(Value::Null) => Value::Null,
        Some(v @ Value::Object(_)) => v.clone(),
        Some(other) => {
            return Err(raw.error_at(
                &at(code, "params"),
                format!("`params` must be a mapping, found {}", kind(other)),
            ));
        }
    };
    // xmpp.org keeps the name under `params`; Hugo's keys come first.
    let name = match get("languagename")?.or(get("label")?) {
        Some(name) => Some(name),
        None => params
            .get("languagename")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let direction = match get("languagedirection")?.or(get("direction")?) {
        None => Direction::of_language(code),
        Some(d) if d.eq_ignore_ascii_case("rtl") => Direction::Rtl,
        Some(d) if d.eq_ignore_ascii_case("ltr") => Direction::Ltr,
        Some(d) => {
            let key = if entry.get("direction").is_some() {
                "direction"
            } else {
                "languagedirection"
            };
            return Err(raw.error_at(
                &at(code, key),
                format!("the direction of language `{code}` is `{d}`; write `ltr` or `rtl`"),
            ));
        }
    };
    let weight = match entry.get("weight") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        Some(other) => {
            return Err(raw.error_at(
                &at(code, "weight"),
                format!(
                    "the weight of language `{code}` must be an integer, found {}",
                    shown(other)
                ),
            ));
        }
    };
    Ok(Language {
        code: code.to_string(),
        name,
        locale: get("languagecode")?.or(get("locale")?),
        direction,
        weight,
        content_dir: get("contentdir")?.map(PathBuf::from),
        title: get("title")?,
        params,
        base_url: get("baseurl")?,
        permalinks: permalinks::read(raw, &at(code, "permalinks"))?,
    })
}

/// `disableLanguages`: a list of codes.
fn disabled_languages(raw: &RawConfig) -> Result<Vec<String>, Diagnostic> {
    match raw.get(&["disablelanguages"]) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .collect()),
        Some(other) => Err(raw.error_at(
            &["disablelanguages"],
            format!(
                "`disableLanguages` must be a list of codes, found {}",
                kind(other)
            ),
        )),
    }
}

/// A text setting at `keys`: a string (trimmed, empty is unset); anything
/// else is an error at its line.
pub(super) fn text(raw: &RawConfig, keys: &[&str]) -> Result<Option<String>, Diagnostic> {
    match raw.get(keys) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(raw.error_at(
            keys,
            format!(
                "`{}` must be text, found {}",
                keys.last().copied().unwrap_or_default(),
                kind(other)
            ),
        )),
    }
}

/// A value for a message: short scalars as written.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("`{s}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::Bool(b) => format!("`{b}`"),
        other => kind(other).to_string(),
    }
}
