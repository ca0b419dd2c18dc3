//! The typed keys of front matter folio relies on (`title`, `draft`,
//! `weight`, `aliases`, `date`, ...): what each accepts, and the message
//! when a value has the wrong type.

use serde_json::Value;

/// What a value is, for error messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A text field: strings as they are, numbers and booleans as their text
/// (`title: 2023` is a title), lists and mappings are errors.
pub(super) fn as_text(key: &str, value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(format!("`{key}` must be a string, found {}", kind(other))),
    }
}

/// `draft`: a boolean, or the text `true`/`false` (Pelican values are text).
pub(super) fn as_bool(key: &str, value: Option<&Value>) -> Result<bool, String> {
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        Some(other) => Err(format!(
            "`{key}` must be true or false, found {}",
            describe(other)
        )),
    }
}

/// `weight`: an integer, or text holding one (`weight: "3"`, Pelican).
pub(super) fn as_weight(value: Option<&Value>) -> Result<i64, String> {
    let wrong = |v: &Value| format!("`weight` must be an integer, found {}", describe(v));
    match value {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(i),
            // `weight: 3.0` is still a whole number.
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            _ => Err(wrong(&Value::Number(n.clone()))),
        },
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| wrong(&Value::String(s.clone()))),
        Some(other) => Err(wrong(other)),
    }
}

/// `aliases`: a list of strings, or one string.
pub(super) fn as_aliases(value: Option<&Value>) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "`aliases` must be a list of strings, found {} in it",
                    kind(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "`aliases` must be a list of strings, found {}",
            kind(other)
        )),
    }
}

/// A short description of a wrong value: its kind, and its text if scalar.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("{b}"),
        other => kind(other).to_string(),
    }
}

/// Whether `text` is a date Hugo would read (its layouts: RFC 3339 with or
/// without a zone, `YYYY-MM-DD` with an optional time, RFC 1123/2822,
/// `02 Jan 2006`), or one Pelican writes (`2010-10-04 07:44`).
pub(super) fn is_date(text: &str) -> bool {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let text = text.trim();
    const ZONED: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %z %Z",
    ];
    const LOCAL: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    DateTime::parse_from_rfc3339(text).is_ok()
        || DateTime::parse_from_rfc2822(text).is_ok()
        || ZONED
            .iter()
            .any(|f| DateTime::parse_from_str(text, f).is_ok())
        || LOCAL
            .iter()
            .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok())
        || ["%Y-%m-%d", "%d %b %Y"]
            .iter()
            .any(|f| NaiveDate::parse_from_str(text, f).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_hugo_reads() {
        for good in [
            "2023-05-01",
            "2023-05-01T10:00:00Z",
            "2023-05-01T10:00:00+02:00",
            "2023-05-01T10:00:00.123-0700",
            "2023-05-01T10:00:00",
            "2023-05-01 10:00:00",
            "2010-10-04 07:44",
            "2023-05-01 10:00:00 +0200",
            "Mon, 01 May 2023 10:00:00 +0000",
            "01 May 2023",
            " 2024-02-29 ",
        ] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "not a date",
            "2023",
            "2023-13-01",
            "2023-02-30",
            "2023-5-1x",
            "yesterday",
            "",
            "2023-05-01T25:00:00Z",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
