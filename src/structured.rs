//! Data in JSON, YAML or TOML read as one JSON tree: a Hugo site's
//! configuration, its `data/` folder and TOML front matter all come this
//! way, so they convert values and place errors alike.

use crate::diag::{Diagnostic, to_line};
use crate::precheck;
use serde_json::Value;
use std::ops::Range;
use std::path::Path;

/// The syntax of a data or configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
    Toml,
}

impl Syntax {
    /// The syntax a file name extension says (`yml` too, any case).
    pub(crate) fn of_extension(ext: &str) -> Option<Syntax> {
        match ext.to_ascii_lowercase().as_str() {
            "json" => Some(Syntax::Json),
            "yaml" | "yml" => Some(Syntax::Yaml),
            "toml" => Some(Syntax::Toml),
            _ => None,
        }
    }

    /// The syntax of `path`, by its extension.
    pub(crate) fn of(path: &Path) -> Option<Syntax> {
        Self::of_extension(path.extension()?.to_str()?)
    }

    /// The syntax's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Syntax::Json => "JSON",
            Syntax::Yaml => "YAML",
            Syntax::Toml => "TOML",
        }
    }

    /// How `precheck` measures the text before the parser recurses:
    /// serde_json stops at 128 levels by itself, so only line lengths.
    pub(crate) fn precheck(self) -> precheck::Syntax {
        match self {
            Syntax::Json => precheck::Syntax::Lines,
            Syntax::Yaml => precheck::Syntax::Yaml,
            Syntax::Toml => precheck::Syntax::Toml,
        }
    }
}

/// Parses `text` (from `path`); an error says "invalid {what}" at the
/// parser's line and column, with the parser's reason.
pub(crate) fn parse(
    syntax: Syntax,
    text: &str,
    path: &Path,
    what: &str,
) -> Result<Value, Diagnostic> {
    let invalid = |(line, column): (usize, usize), cause: &str| {
        Diagnostic::error(path, to_line(line), format!("invalid {what}"))
            .with_column(to_line(column))
            .with_cause(cause.trim())
    };
    match syntax {
        Syntax::Json => serde_json::from_str(text)
            .map_err(|e| invalid((e.line(), e.column()), without_location(&e.to_string()))),
        // An empty file is an empty document, not an error.
        Syntax::Yaml if text.trim().is_empty() => Ok(Value::Null),
        Syntax::Yaml => serde_yaml::from_str(text).map(yaml_to_json).map_err(|e| {
            let at = e.location().map_or((0, 0), |at| (at.line(), at.column()));
            invalid(at, without_location(&e.to_string()))
        }),
        Syntax::Toml => toml::from_str::<toml::Table>(text)
            .map(|table| toml_to_json(toml::Value::Table(table)))
            .map_err(|e| invalid(toml_position(text, e.span()), e.message())),
    }
}

/// A parser's message without the " at line L column C" it appends: the
/// diagnostic shows the place itself.
fn without_location(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// The 1-based line and column (in characters) where a TOML error's span
/// starts in `text`; (0, 0) when the parser gave no span.
pub(crate) fn toml_position(text: &str, span: Option<Range<usize>>) -> (usize, usize) {
    let Some(span) = span else { return (0, 0) };
    let before = text.get(..span.start).unwrap_or_default();
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (before.matches('\n').count() + 1, column)
}

/// A YAML value as JSON (mapping keys as text, custom tags dropped).
pub(crate) fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // NaN and infinities have no JSON number; keep their text.
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(mapping) => Value::Object(
            mapping
                .into_iter()
                .map(|(key, value)| (json_key(yaml_to_json(key)), yaml_to_json(value)))
                .collect(),
        ),
        // A custom tag (`!foo bar`) means nothing to us; keep the value.
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// A nested mapping key as JSON object key text.
fn json_key(key: Value) -> String {
    match key {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// A TOML value as JSON (dates as their RFC 3339 text, like YAML's).
pub(crate) fn toml_to_json(value: toml::Value) -> Value {
    use toml::Value as T;
    match value {
        T::String(s) => Value::String(s),
        T::Integer(i) => Value::from(i),
        T::Float(f) => serde_json::Number::from_f64(f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        T::Boolean(b) => Value::Bool(b),
        T::Datetime(d) => Value::String(d.to_string()),
        T::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        T::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(syntax: Syntax, text: &str) -> Diagnostic {
        parse(syntax, text, Path::new("f"), "thing").unwrap_err()
    }

    #[test]
    fn errors_carry_line_and_column_without_repeating_them() {
        for (syntax, text, line) in [
            (Syntax::Json, "{\n  \"x\": [1,\n  oops\n}", 3),
            (Syntax::Yaml, "a: 1\nb: [1, 2\nc: 3\n", 3),
            (Syntax::Toml, "x = 1\ny = \n", 2),
        ] {
            let e = err(syntax, text);
            assert_eq!(e.line, line, "{syntax:?}: {e:?}");
            assert!(e.message.contains("invalid thing"), "{e:?}");
            let shown = e.to_string();
            assert!(!shown.contains(" at line "), "{shown}");
        }
    }

    #[test]
    fn the_three_syntaxes_give_the_same_tree() {
        let json = parse(
            Syntax::Json,
            r#"{"a": {"b": [1, "x"]}, "d": "1979-05-27"}"#,
            Path::new("f"),
            "t",
        );
        let yaml = parse(
            Syntax::Yaml,
            "a:\n  b: [1, x]\nd: 1979-05-27\n",
            Path::new("f"),
            "t",
        );
        let toml = parse(
            Syntax::Toml,
            "d = 1979-05-27\n[a]\nb = [1, \"x\"]\n",
            Path::new("f"),
            "t",
        );
        assert_eq!(json.as_ref().ok(), yaml.as_ref().ok());
        assert_eq!(json.ok(), toml.ok());
        assert_eq!(
            parse(Syntax::Yaml, " \n", Path::new("f"), "t").ok(),
            Some(Value::Null)
        );
        assert_eq!(Syntax::of(Path::new("x/Config.YML")), Some(Syntax::Yaml));
        assert_eq!(Syntax::of(Path::new("x/config")), None);
    }
}
